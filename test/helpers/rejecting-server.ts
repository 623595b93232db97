// src/server.ts as it is, plus one way in for a test: on SIGUSR2 a promise rejects with
// nobody to catch it, as a forgotten `await` would. For test/ops/unhandled-rejection.test.ts.
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('a promise nobody awaited'));
});
await import('../../src/server.js');
