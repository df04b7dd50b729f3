import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import {
  CookieSigner,
  MemorySessionStore,
  SessionConfigError,
  SessionStorageFactory,
  type SessionOptions,
} from '../../../src/bridges/session/index.js';
import { readRequestCookies } from '../../../src/bridges/session/read-request-cookies.js';
import { serializeSessionCookie } from '../../../src/bridges/session/serialize-session-cookie.js';
import { resolveSessionOptions } from '../../../src/bridges/session/session-options.js';
import { serialize } from 'cookie';
import { cookiePair, cookieValue, requestWith, setCookies } from './support.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

function factory(options: Partial<SessionOptions> = {}) {
  return new SessionStorageFactory({ store: new MemorySessionStore(), ...options });
}

/** Starts a session on `url` and returns the Set-Cookie line it sends. */
async function firstCookie(sessions: SessionStorageFactory, url = 'http://app.test/'): Promise<string> {
  const session = sessions.create(requestWith(undefined, url));
  await session.set('k', 1);
  const lines = setCookies(await session.commit(new Response('ok')));
  expect(lines).to.have.length(1);
  return lines[0]!;
}

function attributes(line: string): string[] {
  return line.split('; ').slice(1);
}

describe('session cookie', () => {
  describe('reading the Cookie header', () => {
    it('finds every value of the name, in order, among other cookies', () => {
      const request = requestWith('theme=dark; sid=first; other=x;sid="second" ; sidx=no');
      expect(readRequestCookies(request, 'sid')).to.deep.equal(['first', 'second']);
      expect(readRequestCookies(request, 'theme')).to.deep.equal(['dark']);
      expect(readRequestCookies(request, 'missing')).to.deep.equal([]);
    });

    it('also splits on the ", " that Headers uses to join repeated Cookie lines', () => {
      const headers = new Headers();
      headers.append('cookie', 'a=1');
      headers.append('cookie', 'sid=abc');
      expect(readRequestCookies(new Request('http://app.test/', { headers }), 'sid')).to.deep.equal(['abc']);
    });

    it('reads nothing from a request without a Cookie header', () => {
      expect(readRequestCookies(requestWith(), 'sid')).to.deep.equal([]);
    });
  });

  describe('Set-Cookie output', () => {
    it('defaults to sid, Path=/, HttpOnly, SameSite=Lax and a browser-session cookie', async () => {
      const line = await firstCookie(factory());
      expect(line).to.match(/^sid=[A-Za-z0-9_-]{32}; /);
      expect(attributes(line)).to.deep.equal(['Path=/', 'HttpOnly', 'SameSite=Lax']);
    });

    it('writes every configured flag', async () => {
      const before = Date.now();
      const line = await firstCookie(
        factory({ cookie: { name: '__Host-app', path: '/app', domain: 'app.test', httpOnly: false, sameSite: 'strict', secure: true, maxAge: 3600, partitioned: true } }),
      );
      expect(line.startsWith('__Host-app=')).to.equal(true);
      const attrs = attributes(line);
      // Attribute order changed on purpose: it is the cookie package's (any order means the same).
      expect(attrs.filter((a) => !a.startsWith('Expires='))).to.deep.equal(['Max-Age=3600', 'Domain=app.test', 'Path=/app', 'Secure', 'Partitioned', 'SameSite=Strict']);
      const expires = Date.parse(attrs.find((a) => a.startsWith('Expires='))!.slice('Expires='.length));
      expect(expires).to.be.within(Math.floor(before / 1000) * 1000 + 3_599_000, Date.now() + 3_601_000);
      expect(attrs).to.not.include('HttpOnly');
    });

    it("secure 'auto' sets Secure for an https URL and not for an http one", async () => {
      const sessions = factory({ cookie: { secure: 'auto' } });
      expect(attributes(await firstCookie(sessions, 'https://app.test/login'))).to.include('Secure');
      expect(attributes(await firstCookie(sessions, 'http://app.test/login'))).to.not.include('Secure');
    });

    it("'auto' is the default, and true / false ignore the scheme", async () => {
      expect(attributes(await firstCookie(factory(), 'https://app.test/'))).to.include('Secure');
      expect(attributes(await firstCookie(factory({ cookie: { secure: true } }), 'http://app.test/'))).to.include('Secure');
      expect(attributes(await firstCookie(factory({ cookie: { secure: false } }), 'https://app.test/'))).to.not.include('Secure');
    });

    it('leaves Partitioned out on plain http, where browsers would drop the cookie', async () => {
      const line = await firstCookie(factory({ cookie: { partitioned: true } }), 'http://app.test/');
      expect(attributes(line)).to.not.include('Partitioned');
    });

    it('expires the cookie on destroy, with the same Path and Domain', async () => {
      const sessions = factory({ cookie: { path: '/app', domain: 'app.test', maxAge: 600 } });
      const first = await firstCookie(sessions, 'https://app.test/');
      const session = sessions.create(requestWith(cookiePair(first), 'https://app.test/'));
      await session.destroy();
      const [line, ...rest] = setCookies(await session.commit(new Response('bye')));
      expect(rest).to.deep.equal([]);
      expect(line).to.equal('sid=; Max-Age=0; Domain=app.test; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax');
    });

    it('per-request options change the cookie of that request only', async () => {
      const sessions = factory();
      const remembered = sessions.create(requestWith(), { cookie: { maxAge: 30 * 86400 } });
      await remembered.set('user', 'ann');
      expect(attributes(setCookies(await remembered.commit(new Response()))[0]!)).to.include('Max-Age=2592000');
      expect(attributes(await firstCookie(sessions)).some((a) => a.startsWith('Max-Age'))).to.equal(false);
    });
  });

  describe('signing', () => {
    it('sends ID.MAC and accepts it back', async () => {
      const sessions = factory({ secret: SECRET });
      const line = await firstCookie(sessions);
      const [id, mac] = cookieValue(line).split('.');
      expect(id).to.match(/^[A-Za-z0-9_-]{32}$/);
      // Changed on purpose: cookie-signature's MAC, base64 without padding (express-session's format), where it was base64url.
      expect(mac).to.match(/^[A-Za-z0-9+/]{43}$/);
      expect(mac).to.equal(createHmac('sha256', SECRET).update(id!).digest('base64').replace(/=+$/, ''));
      const next = await sessions.create(requestWith(cookiePair(line))).load();
      expect(next.isNew).to.equal(false);
      expect(next.id).to.equal(id);
    });

    it('sends a MAC holding "+" or "/" as is, and reads it back', async () => {
      const sessions = factory({ secret: SECRET });
      let line = '';
      for (let i = 0; i < 100 && !/[+/]/.test(cookieValue(line)); i++) line = await firstCookie(sessions);
      expect(cookieValue(line)).to.match(/[+/]/);
      const next = await sessions.create(requestWith(cookiePair(line))).load();
      expect(next.isNew).to.equal(false);
    });

    it('verifies with every secret and signs with the first (rotation)', () => {
      const old = new CookieSigner('an-old-secret-that-is-at-least-32-bytes');
      const rotated = new CookieSigner([SECRET, 'an-old-secret-that-is-at-least-32-bytes']);
      const id = 'A'.repeat(32);
      expect(rotated.unsign(old.sign(id))).to.equal(id);
      expect(rotated.sign(id)).to.not.equal(old.sign(id));
      expect(new CookieSigner(SECRET).unsign(rotated.sign(id))).to.equal(id);
    });

    it('refuses a wrong, truncated or missing signature', () => {
      const signer = new CookieSigner(SECRET);
      const id = 'B'.repeat(32);
      const good = signer.sign(id);
      expect(signer.unsign(good)).to.equal(id);
      expect(signer.unsign(`${'C'.repeat(32)}${good.slice(32)}`)).to.equal(undefined);
      expect(signer.unsign(good.slice(0, -1))).to.equal(undefined);
      expect(signer.unsign(id)).to.equal(undefined);
      expect(signer.unsign(`${id}.`)).to.equal(undefined);
      expect(new CookieSigner('another-secret-that-is-at-least-32-bytes').unsign(good)).to.equal(undefined);
    });
  });

  describe('option validation', () => {
    const cases: Array<[string, Partial<SessionOptions>, string]> = [
      ['a short secret', { secret: 'short' }, 'secret'],
      ['a short rotated secret', { secret: [SECRET, 'short'] }, 'secret[1]'],
      ['an empty secret list', { secret: [] }, 'secret'],
      ['a cookie name with a space', { cookie: { name: 'my sid' } }, 'cookie.name'],
      ['a path without a leading slash', { cookie: { path: 'app' } }, 'cookie.path'],
      ['a path with ";"', { cookie: { path: '/a;Domain=evil.test' } }, 'cookie.path'],
      ['a path the cookie package refuses', { cookie: { path: '/a<b' } }, 'cookie.path'],
      ['a domain with ";"', { cookie: { domain: 'a.test; Secure' } }, 'cookie.domain'],
      ['a domain the cookie package refuses', { cookie: { domain: 'app_test.local' } }, 'cookie.domain'],
      ['an unknown SameSite', { cookie: { sameSite: 'loose' as never } }, 'cookie.sameSite'],
      ['SameSite=None without Secure', { cookie: { sameSite: 'None', secure: false } }, 'cookie.secure'],
      ['Partitioned without Secure', { cookie: { partitioned: true, secure: false } }, 'cookie.secure'],
      ['a bad secure value', { cookie: { secure: 'yes' as never } }, 'cookie.secure'],
      ['a fractional maxAge', { cookie: { maxAge: 1.5 } }, 'cookie.maxAge'],
      ['a zero ttl', { ttl: 0 }, 'ttl'],
      ['a non-boolean rolling', { rolling: 'yes' as never }, 'rolling'],
    ];
    for (const [what, options, option] of cases) {
      it(`refuses ${what}, naming ${option}`, () => {
        let caught: unknown;
        try {
          factory(options);
        } catch (error) {
          caught = error;
        }
        expect(caught).to.be.instanceOf(SessionConfigError);
        expect((caught as SessionConfigError).option).to.equal(option);
        expect((caught as Error).message).to.contain(`session option ${option}:`);
      });
    }

    it('refuses a missing or incomplete store', () => {
      expect(() => new SessionStorageFactory({} as SessionOptions)).to.throw(SessionConfigError, /store/);
      expect(() => new SessionStorageFactory({ store: { get: async () => undefined } } as never)).to.throw(SessionConfigError, /ExpressStoreAdapter/);
    });

    it('refuses invalid per-request options too', () => {
      expect(() => factory().create(requestWith(), { cookie: { maxAge: -1 } })).to.throw(SessionConfigError, /cookie\.maxAge/);
    });
  });

  it('writes every Set-Cookie line exactly as the cookie package does for the same options, value and date', () => {
    const store = new MemorySessionStore();
    const now = Date.UTC(2026, 11, 3, 10, 27, 14);
    let lines = 0;
    for (const domain of [undefined, 'example.test']) {
      for (const maxAge of [undefined, 1, 3600]) {
        for (const sameSite of ['Strict', 'Lax', 'None'] as const) {
          for (const partitioned of [false, true]) {
            const options = resolveSessionOptions({ store, name: 'sid', cookie: { path: '/app', domain, maxAge, sameSite, partitioned, httpOnly: sameSite !== 'None' } } as SessionOptions);
            for (const secure of [false, true]) {
              for (const value of ['abc', 'a.b-c_d+e/f=', 's:x9']) {
                const expected = serialize('sid', value, {
                  encode: (v) => v, path: '/app', domain, maxAge, httpOnly: sameSite !== 'None', secure, partitioned: partitioned && secure,
                  sameSite: sameSite.toLowerCase() as 'lax', ...(maxAge === undefined ? {} : { expires: new Date(now + maxAge * 1000) }),
                });
                expect(serializeSessionCookie(options, { value, secure, now }), expected).to.equal(expected);
                expect(serializeSessionCookie(options, { value, secure, now: now + 1000 }), 'the date moves with the clock').to.equal(
                  maxAge === undefined ? expected : expected.replace(new Date(now + maxAge * 1000).toUTCString(), new Date(now + 1000 + maxAge * 1000).toUTCString()),
                );
                lines += 1;
              }
              const deleted = serialize('sid', '', { encode: (v) => v, path: '/app', domain, maxAge: 0, expires: new Date(0), httpOnly: sameSite !== 'None', secure, partitioned: partitioned && secure, sameSite: sameSite.toLowerCase() as 'lax' });
              expect(serializeSessionCookie(options, { value: 'ignored', secure, expire: true, now })).to.equal(deleted);
            }
          }
        }
      }
    }
    expect(lines).to.equal(216);
    const options = resolveSessionOptions({ store } as SessionOptions);
    expect(() => serializeSessionCookie(options, { value: 'a;b', secure: false, now }), 'a value the package refuses').to.throw(TypeError, /invalid/);
  });
});
