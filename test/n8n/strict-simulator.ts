// The simulator these tests run against: MediaValet's strict side, where the facts about the
// real API are unknown or only "likely". One function, so the whole folder switches profile
// in one line.
import { Sim } from '../helpers/simulator';

export function startStrictSimulator(): Promise<Sim> {
  return Sim.start({ pageSizeCap: 50, accessTokenTTL: 20, sasTTLSeconds: 60, pascalCase: true, rotateRefreshTokens: true, requirePkce: true });
}
