// What users read in n8n's node panel, checked on the node descriptions themselves:
// every field says what it is for, version 1 keeps its shape, and the subtitle reads well.
import type { INodeProperties, INodePropertyCollection, INodeTypeDescription } from 'n8n-workflow';
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

  it('is version 2 for new nodes, and keeps version 1\'s plain asset ID field', () => {
    expect(node.version).toEqual([1, 2]);
    expect(node.defaultVersion).toBe(2);
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
    expect(map['upload:uploadFromUrl']).toBe('Upload a File from a URL as a New Asset');
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

  it('asks for the identity server before the API settings in the password credential', () => {
    const names = new MediaValetPasswordApi().properties.map((p) => p.name);
    expect(names.indexOf('identityUrl')).toBeLessThan(names.indexOf('apiVersion'));
    expect(names.indexOf('identityUrl')).toBeLessThan(names.indexOf('subscriptionKey'));
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
    expect(trigger.version).toBe(1);
  });
});
