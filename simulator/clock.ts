// The simulator's clock, which a test may set running ahead of or behind the machine's: a
// MediaValet whose clock is off issues id_tokens and expiry times the hosts must tolerate.
// It shifts Date for the whole process, so only the simulator's own process installs it (cli.ts).
let offsetMs = 0;
let installed = false;

export function installClock(): void {
  if (installed) return;
  installed = true;
  const RealDate = Date;
  class SimulatorDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = SimulatorDate as DateConstructor;
}

/** Seconds the simulator's clock runs ahead (negative: behind). */
export function setClockOffset(seconds: number): void {
  if (!installed) throw new Error('The clock offset needs the simulator in its own process (npm run simulator, or SimulatorProcess).');
  offsetMs = seconds * 1000;
}
