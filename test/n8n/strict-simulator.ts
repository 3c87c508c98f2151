// The simulator these tests run against: MediaValet's strict side of every unknown or
// "likely" in the facts sheet (the simulator's default profile, see simulator/profiles.ts).
import { Sim } from '../helpers/simulator';

export function startStrictSimulator(): Promise<Sim> {
  return Sim.start({ profile: 'strict' });
}
