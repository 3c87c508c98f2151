// What users read in n8n's node panel, checked on the node descriptions themselves:
// every field says what it is for, version 1 keeps its shape, and the subtitle reads well.
import { type INodeProperties, type INodePropertyCollection, type INodeTypeDescription, NodeHelpers } from 'n8n-workflow';
import { MediaValet } from '../../nodes/MediaValet/MediaValet.node';
import { MediaValetTrigger } from '../../nodes/MediaValetTrigger/MediaValetTrigger.node';
import { MediaValetEventsTrigger } from '../../nodes/MediaValetEventsTrigger/MediaValetEventsTrigger.node';
import { MediaValetOAuth2Api } from '../../credentials/MediaValetOAuth2Api.credentials';
import { MediaValetPasswordApi } from '../../credentials/MediaValetPasswordApi.credentials';

const node = new MediaValet().description;
const trigger = new MediaValetTrigger().description;

/** Every field, nested ones included, with the path a user would see. */
function* fields(properties: INodeProperties[], at = ''): Generator<[string, INodeProperties]> {
  for (const p of properties) {
    const here = `${at}${p.displayName}`;
    yield [here, p];
    for (const option of (p.options ?? []) as Array<INodeProperties | INodePropertyCollection>) {
      if ('type' in option) yield* fields([option as INodeProperties], `${here} › `);
      else if ('values' in option) yield* fields(option.values, `${here} › `);
    }
  }
}

const undescribed = (description: INodeTypeDescription | { properties: INodeProperties[] }) =>
  [...fields(description.properties)]
    // A notice is its own text; the resource and operation pickers describe each option instead.
    .filter(([, p]) => p.type !== 'notice' && p.type !== 'hidden' && !(p.name === 'operation' && p.type === 'options'))
    .filter(([, p]) => !p.description && !p.hint)
    .map(([path]) => path);

describe('n8n node panel text', () => {
  it('describes every field of the node, the trigger and both credentials', () => {
    expect(undescribed(node)).toEqual([]);
    expect(undescribed(trigger)).toEqual([]);
    expect(undescribed(new MediaValetEventsTrigger().description)).toEqual([]);
    expect(undescribed(new MediaValetOAuth2Api())).toEqual([]);
    expect(undescribed(new MediaValetPasswordApi())).toEqual([]);
  });

  it('is version 3 for new nodes, and keeps version 1\'s plain asset ID field', () => {
    expect(node.version).toEqual([1, 2, 3]);
    expect(node.defaultVersion).toBe(3);
    expect(trigger.version).toEqual([1, 2]);
    expect(trigger.defaultVersion).toBe(2);
    const asset = node.properties.filter((p) => p.name === 'assetId' && p.displayOptions?.show?.operation?.includes('get'));
    expect(asset.map((p) => [p.type, p.displayOptions?.show?.['@version']])).toEqual([
      ['string', [1]],
      ['resourceLocator', [{ _cnd: { gte: 2 } }]],
    ]);
    const modes = (asset[1].modes ?? []).map((m) => m.name);
    expect(modes).toEqual(['list', 'url', 'id']);
  });

  it('names the operation in the subtitle, e.g. "Search Assets", for every operation\'s action', () => {
    const map = JSON.parse(/^=\{\{ (\{.*\})\[/.exec(node.subtitle ?? '')![1]);
    expect(map['asset:search']).toBe('Search Assets');
    expect(map['upload:uploadFromUrl']).toBe('Upload from URL');
    const small = new Set(['a', 'an', 'the', 'to', 'of', 'from', 'for', 'in', 'as', 'or', 'and']);
    const titleCase = (text: string) => text.replace(/\S+/g, (w, at: number) => (at > 0 && small.has(w) ? w : w[0].toUpperCase() + w.slice(1)));
    const expected: Record<string, string> = {};
    for (const picker of node.properties.filter((p) => p.name === 'operation')) {
      const resource = picker.displayOptions!.show!.resource![0] as string;
      for (const option of picker.options as Array<{ value: string; action: string }>) expected[`${resource}:${option.value}`] = titleCase(option.action);
    }
    expect(map).toEqual(expected);
    // n8n evaluates it per node: resource and operation pick the entry.
    expect(node.subtitle).toMatch(/\[\$parameter\["resource"\] \+ ":" \+ \$parameter\["operation"\]\] \}\}$/);
  });

  it('names actions short, in n8n\'s style', () => {
    const actions = node.properties.filter((p) => p.name === 'operation').flatMap((p) => (p.options as Array<{ action: string }>).map((o) => o.action));
    for (const action of actions) {
      expect(action).toMatch(/^[A-Z][a-z]+( [a-zA-Z]+){0,3}$/);
      expect(action).not.toMatch(/\b(a|an|the)\b/);
    }
    expect(actions).toEqual(expect.arrayContaining(['Upload from URL', 'New version from URL', 'Search assets']));
  });

  it('puts what a user must fill first in both credentials, each saying where to get it', () => {
    const password = new MediaValetPasswordApi().properties.filter((p) => p.type !== 'hidden');
    expect(password.slice(0, 6).map((p) => p.name)).toEqual(['username', 'password', 'clientId', 'clientSecret', 'subscriptionKey', 'showAdvanced']);
    expect(password.slice(0, 5).every((p) => p.required)).toBe(true);
    const oauth = new MediaValetOAuth2Api().properties;
    for (const list of [password, oauth]) {
      const byName = (name: string) => list.find((p) => p.name === name)!;
      expect(byName('clientId').description).toMatch(/MediaValet support/);
      expect(byName('clientSecret').description).toMatch(/MediaValet support/);
      expect(byName('subscriptionKey').description).toMatch(/developer portal/);
    }
  });

  it('hides the password credential\'s other settings behind one switch, yet hands every saved value to the node as n8n reads it', () => {
    const properties = new MediaValetPasswordApi().properties;
    // n8n's editor: what it shows for given data.
    const shown = (data: Record<string, unknown>) => {
      const values = NodeHelpers.getNodeParameters(properties, data as never, true, true, null, null)!;
      return properties.filter((p) => p.type !== 'hidden' && NodeHelpers.displayParameter(values, p, null, null)).map((p) => p.name);
    };
    // n8n's CredentialsHelper.applyDefaultsAndOverwrites: only displayed fields reach the node.
    const delivered = (data: Record<string, unknown>) => NodeHelpers.getNodeParameters(properties, data as never, true, false, null, null) as Record<string, unknown>;
    const required = { username: 'u', password: 'p', clientId: 'c', clientSecret: 's', subscriptionKey: 'k' };
    const advanced = ['identityUrl', 'apiUrl', 'apiVersion', 'clientAuth', 'timeout', 'allowInsecure'];

    // A new credential: the switch off, no advanced field in sight, every default still delivered.
    expect(shown(required)).toEqual([...Object.keys(required), 'showAdvanced']);
    expect(delivered(required)).toMatchObject({ identityUrl: 'https://login.mediavalet.com', apiUrl: 'https://api.mediavalet.com', apiVersion: '1.2', clientAuth: 'basic', timeout: 60, allowInsecure: false });
    // The switch on: all of them, once each.
    expect(shown({ ...required, showAdvanced: true })).toEqual([...Object.keys(required), 'showAdvanced', ...advanced]);
    // A credential saved before the switch existed, with settings of its own: they stay in sight and reach the node.
    const saved = { ...required, identityUrl: 'https://iam.mediavalet.com', apiUrl: 'http://127.0.0.1:4010', clientAuth: 'post', allowInsecure: true, timeout: 120 };
    expect(shown(saved)).toEqual([...Object.keys(required), 'showAdvanced', 'identityUrl', 'apiUrl', 'clientAuth', 'timeout', 'allowInsecure']);
    expect(delivered(saved)).toMatchObject({ identityUrl: 'https://iam.mediavalet.com', apiUrl: 'http://127.0.0.1:4010', apiVersion: '1.2', clientAuth: 'post', timeout: 120, allowInsecure: true });
  });

  it('shows Include Subcategories only once a category is set', () => {
    const options = trigger.properties.find((p) => p.name === 'options')!.options as INodeProperties[];
    expect(options.find((o) => o.name === 'includeSubcategories')?.displayOptions).toEqual({ show: { category: [{ _cnd: { exists: true } }] } });
  });

  it('makes the real-time trigger a webhook trigger of its own, leaving the polling trigger as it was', () => {
    const events = new MediaValetEventsTrigger();
    expect(events.description.polling).toBeUndefined();
    expect(events.description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'skyhook' }]);
    expect(Object.keys(events.webhookMethods.default).sort()).toEqual(['checkExists', 'create', 'delete']);
    expect(trigger.polling).toBe(true);
    expect(trigger.webhooks).toBeUndefined();
    // Version 2 added Simplify; both versions poll.
    expect(trigger.version).toEqual([1, 2]);
  });
});
