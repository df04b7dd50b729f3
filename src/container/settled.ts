/**
 * One promise, fulfilled from the start, that methods return when their work was already done
 * before they returned: `scope.dispose()` with nothing to dispose, a reply handed to the OS
 * synchronously. A caller that receives this very object may go on at once instead of waiting a
 * turn with `then`; any other promise is awaited as usual, and `await SETTLED` works like any
 * promise. Per unit of work, every promise and `then` costs (and runs AsyncLocalStorage's hooks),
 * so the worker's common path, where everything finishes synchronously, makes none.
 */
export const SETTLED: Promise<void> = Promise.resolve();
