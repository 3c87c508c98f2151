// One Node-RED runtime and one simulator per test file, with a throwaway user directory,
// and every status each node showed (the helper's own spy is replaced at each load).
import path from 'node:path';
import { helper, tempUserDir } from '../helpers/node-red';
import type { SimulatorOptions } from '../../simulator/index';
import { DEMO, Sim } from '../helpers/simulator';

const statuses = new Map<string, any[]>();
const NodeClass = require(require.resolve('@node-red/runtime/lib/nodes/Node.js', { paths: [path.dirname(require.resolve('node-red'))] }));
const status = NodeClass.prototype.status;
NodeClass.prototype.status = function (this: { id: string }, value: unknown) {
  statuses.set(this.id, [...(statuses.get(this.id) ?? []), value]);
  return status.call(this, value);
};

/** The statuses node `id` has shown, oldest first. */
export function statusesOf(id: string): any[] {
  return statuses.get(id) ?? [];
}

export function forgetStatuses(): void {
  statuses.clear();
}

/** The password-mode credentials a user types for the simulator's first user. */
export const goodCredentials = (user = DEMO.users[0]) => ({ clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: user.username, password: user.password });

export function useRuntime(simulator: SimulatorOptions = {}): { readonly sim: Sim; readonly userDir: string } {
  const state = {} as { sim: Sim; userDir: string };
  beforeAll(async () => {
    state.sim = await Sim.start(simulator);
    state.userDir = tempUserDir();
    helper.settings({ userDir: state.userDir });
    await new Promise((resolve) => helper.startServer(resolve));
  });
  afterEach(() => helper.unload());
  afterAll(async () => {
    await new Promise((resolve) => helper.stopServer(resolve));
    await state.sim.stop();
  });
  return state;
}
