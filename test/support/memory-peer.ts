// The in-memory rr peer lives in the test kit (roadrunner-runtime/testing) now; the suite's own
// tests keep importing it from here.
export { MemoryPeer, frameParts as parts } from '../../src/testing/memory-peer.js';
