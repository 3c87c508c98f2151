// One simulator process per test file, plus the settings a user would type for it.
import path from 'node:path';
import { connect, type ConnectOptions, type MediaValetSettings } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { sleep } from '../../node-red/sleep';
import { DEMO, type ProfileName, type SimulatorOptions } from '../../simulator/index';
import { SimulatorProcess } from '../../simulator/process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

export { DEMO };
const CLI = path.resolve(__dirname, '../../dist/simulator/cli.js');

export class Sim extends SimulatorProcess {
  /**
   * The strict profile unless told (`{ profile: 'lenient' }`): the side of each of MediaValet's
   * unknowns that a client built on easy assumptions would fail (simulator/profiles.ts).
   */
  static start(options: SimulatorOptions = {}): Promise<Sim> {
    return new Sim().launch(options, CLI);
  }

  /** Stops the simulator; what it logged goes to the secret-leak scan. */
  override async stop(): Promise<void> {
    await super.stop();
    record('simulator log', this.stderr || '(nothing)');
  }

  /** Settings a user would type for this simulator (password mode unless told). */
  settingsFor(overrides: Partial<MediaValetSettings> = {}): MediaValetSettings {
    return {
      mode: 'password',
      identityUrl: this.identityUrl,
      apiUrl: this.apiUrl,
      clientId: DEMO.clientId,
      clientSecret: DEMO.clientSecret,
      subscriptionKey: DEMO.subscriptionKey,
      username: DEMO.users[0].username,
      password: DEMO.users[0].password,
      allowInsecure: true,
      ...overrides,
    };
  }

  /** A connected client over the axios transport, with fast retries for tests. */
  connect(overrides: Partial<MediaValetSettings> = {}, options: Partial<ConnectOptions> = {}) {
    return connect(this.settingsFor(overrides), {
      transport: createAxiosTransport(),
      sleep,
      ...options,
      client: { retry: { baseDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 5000, ...options.client },
    });
  }
}

/** Both sides of MediaValet's unknowns, for `describe.each`. */
export const PROFILE_NAMES: ProfileName[] = ['strict', 'lenient'];

/**
 * One simulator on `profile` for the enclosing describe, handed to `use`; before each test its
 * faults are cleared, its settings put back to the profile's and its counters reset.
 */
export function simulatorOn(profile: ProfileName, options: SimulatorOptions, use: (sim: Sim) => void): void {
  let sim: Sim | undefined;
  beforeAll(async () => {
    sim = await Sim.start({ ...options, profile });
    use(sim);
  });
  afterAll(() => sim?.stop());
  beforeEach(async () => {
    await sim!.clearFaults();
    await sim!.settings({ profile });
    await sim!.resetCounters();
  });
}

/** Runs `fn` and returns what it threw (fails the test when nothing was thrown). */
export async function caught<E = any>(fn: () => Promise<unknown>): Promise<E> {
  try {
    await fn();
  } catch (error) {
    record('error', error);
    return error as E;
  }
  throw new Error('expected an error, but the call succeeded');
}
