// Runs before each test file: everything the code under test logs, and every error a test
// looks at, is recorded for the secret-leak scan. Node-RED status and outputs are recorded
// in test/helpers/node-red.ts, host logs and outputs in the e2e runtimes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record, render } = require('./record');

process.env.MV_LEAK_FILE = expect.getState().testPath ?? '';

for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
  const original = console[method];
  console[method] = (...args: unknown[]) => {
    record('console', args.map((a) => render(a)).join(' '));
    original.apply(console, args);
  };
}

/** Errors a test looks at, whether handed to expect() or awaited through `.rejects`. */
function look(actual: unknown): void {
  if (actual instanceof Error) record('error', actual);
  else if (actual && typeof (actual as PromiseLike<unknown>).then === 'function') (actual as Promise<unknown>).then(undefined, (error: unknown) => record('error', error));
}
(globalThis as { expect: jest.Expect }).expect = new Proxy(expect, {
  apply(target, thisArg, args: [unknown]) {
    look(args[0]);
    return Reflect.apply(target, thisArg, args);
  },
});
