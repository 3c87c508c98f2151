#!/usr/bin/env node
// `npm run simulator` / `npm start`: runs the simulator until Ctrl-C.
import { installClock } from './clock';
import { DEMO, SEED_IDS, startSimulator, type SimulatorOptions } from './index';
import { describeProfiles, profileNamed } from './profiles';

installClock();

function parseArgs(argv: string[]): { options: SimulatorOptions; json: boolean } {
  const options: SimulatorOptions = {};
  let json = false;
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) {
      console.error(`${flag} needs a whole number, e.g. ${flag} 4010`);
      process.exit(2);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--identity-port':
        options.identityPort = number(flag, argv[++i]);
        break;
      case '--api-port':
        options.apiPort = number(flag, argv[++i]);
        break;
      case '--storage-port':
        options.storagePort = number(flag, argv[++i]);
        break;
      case '--access-token-ttl':
        options.accessTokenTTL = number(flag, argv[++i]);
        break;
      case '--bulk-assets':
        options.bulkAssets = number(flag, argv[++i]);
        break;
      case '--synthetic-assets':
        options.syntheticAssets = number(flag, argv[++i]);
        break;
      case '--profile':
        try {
          options.profile = profileNamed(argv[++i] ?? '');
        } catch (error) {
          console.error((error as Error).message);
          process.exit(2);
        }
        break;
      case '--lenient':
        options.profile = 'lenient';
        break;
      case '--redirect-uri':
        options.redirectUris = [...(options.redirectUris ?? []), argv[++i]];
        break;
      case '--options':
        Object.assign(options, JSON.parse(argv[++i] ?? '{}'));
        break;
      case '--help':
      case '-h':
        console.log(`Usage: npm run simulator -- [--profile strict|lenient] [--identity-port 4010] [--api-port 4011] [--storage-port 4012]
                            [--access-token-ttl SECONDS] [--redirect-uri URL]... [--bulk-assets N] [--synthetic-assets N] [--json]
                            [--options '{"pageSizeCap":100,...}']

--profile picks a side of every behaviour MediaValet leaves unknown (default: strict, the side
that breaks clients built on easy assumptions; lenient: the other documented side).
--options overrides single settings. --synthetic-assets N adds N assets made on demand from
their index (never stored), in a category "Synthetic", for paging a library of any size. The profiles:

${describeProfiles()}`);
        process.exit(0);
        break;
      default:
        console.error(`Unknown option ${flag}; see --help.`);
        process.exit(2);
    }
  }
  return { options, json };
}

async function main(): Promise<void> {
  const { options, json } = parseArgs(process.argv.slice(2));
  if (!json) {
    options.identityPort ??= 4010;
    options.apiPort ??= 4011;
    options.storagePort ??= 4012;
  }
  let sim;
  try {
    sim = await startSimulator(options);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    console.error(err.code === 'EADDRINUSE' ? `A port is taken (${err.message}). Stop the other process or pick ports with --identity-port/--api-port/--storage-port.` : `The simulator could not start: ${err.message}`);
    process.exit(1);
  }
  // RFC 6749 2.3.1: id and secret form-encoded before Base64 (the secret holds + : %, as real ones may).
  const basic = Buffer.from(`${encodeURIComponent(DEMO.clientId)}:${encodeURIComponent(DEMO.clientSecret)}`).toString('base64');
  if (json) {
    console.log(JSON.stringify({ identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, storageUrl: sim.storageUrl, controlUrl: sim.controlUrl }));
  } else {
    const users = options.users ?? DEMO.users;
    console.log(`
MediaValet simulator is running on this machine (a stand-in for MediaValet, not MediaValet).

  Identity server   ${sim.identityUrl}   (discovery: ${sim.identityUrl}/.well-known/openid-configuration)
  API               ${sim.apiUrl}
  Storage           ${sim.storageUrl}

Demo accounts (sign-in page and password grant):
${users.map((u) => `  ${u.username.padEnd(26)} ${u.password.padEnd(18)} ${u.role}`).join('\n')}

Profile             ${options.profile === 'lenient' ? "lenient   (the easier side of what MediaValet leaves unknown; see --help)" : "strict   (the hard side of what MediaValet leaves unknown; --profile lenient for the other, see --help)"}
Client ID           ${DEMO.clientId}   (HTTP Basic client auth; ${DEMO.postClientId} sends it in the body)
Client secret       ${DEMO.clientSecret}
Subscription key    ${DEMO.subscriptionKey}
Redirect URIs       ${[...DEMO.redirectUris, ...(options.redirectUris ?? [])].join('\n                    ')}

Try it:
  curl -s -H "Authorization: Basic ${basic}" -d grant_type=password \\
       -d username=${users[0].username} -d password=${users[0].password} -d "scope=openid api offline_access" \\
       ${sim.identityUrl}/connect/token
  curl -s -H "Authorization: Bearer <access_token>" -H "Ocp-Apim-Subscription-Key: ${DEMO.subscriptionKey}" \\
       ${sim.apiUrl}/assets/${SEED_IDS.firstAsset}

In the nodes' settings use these URLs and turn on "Allow Insecure (Local Testing)".
Press Ctrl-C to stop.`);
  }
  const stop = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
