// MediaValet's real-time events (SkyHOOK, Enterprise plan) as an n8n webhook trigger. A node
// of its own beside the polling MediaValet Trigger: n8n polls every node that has poll() and
// serves webhooks for every node that declares them, so one node type cannot be either one
// by a parameter, and saved polling triggers stay exactly as they are.
import type { ILoadOptionsFunctions, INodePropertyOptions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { listSkyhookEventTypes, SKYHOOK_EVENT_TYPES } from '../../core';
import { authentication, credentials } from '../MediaValet/actions/fields';
import { mediaValetClient } from '../MediaValet/transport/client';
import { receiveDelivery } from './receive';
import { subscriptionMethods } from './subscription';

/** What each documented event means, in the words of the panel. */
const KNOWN: Record<string, string> = {
  'Asset.MediaFileAdded': 'A file was uploaded: a new asset, or a new version of one',
  'Asset.StatusUpdated': 'An asset\'s status changed (e.g. processing finished, approved, archived)',
  'Asset.KeywordsAdded': 'Keywords were added to an asset',
  'Asset.KeywordRemoved': 'A keyword was removed from an asset',
  'Asset.AttributesAdded': 'An asset\'s attributes were set',
  'Asset.VideoRenditionsAdded': 'Video renditions of an asset are ready',
  'Category.AssetsAssigned': 'Assets were put in a category (one item per asset)',
  'Category.AssetUnassigned': 'An asset was taken out of a category',
};

const label = (name: string) => name.replace(/\./, ': ').replace(/([a-z])([A-Z])/g, '$1 $2');

export class MediaValetEventsTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'MediaValet Events Trigger',
    name: 'mediaValetEventsTrigger',
    icon: { light: 'file:mediavalet.svg', dark: 'file:mediavalet.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: 'Starts the workflow within seconds of an upload or change in MediaValet (SkyHOOK real-time events, Enterprise plan)',
    defaults: { name: 'MediaValet Events Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials,
    webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'skyhook' }],
    triggerPanel: {
      header: 'MediaValet calls this workflow as events happen',
      executionsHelp: {
        inactive:
          'While building, press "Listen for test event" and change something in MediaValet: the first event arrives here. Then publish (activate) the workflow: it subscribes to MediaValet and runs for every event; deactivating unsubscribes. MediaValet first sends a validation request (an OPTIONS handshake) that n8n cannot answer on its own: your reverse proxy must answer it (see "Real-time events (SkyHOOK) in n8n" in the package README).',
        active:
          'The workflow is subscribed to MediaValet and runs for every event. Deactivate it to unsubscribe.',
      },
      activationHint: 'Once you have finished building your workflow, publish it: it then subscribes to MediaValet and runs for every event.',
    },
    properties: [
      authentication,
      {
        displayName:
          'MediaValet checks this URL with an OPTIONS handshake that n8n cannot answer itself: add the reverse-proxy rule from the package README ("Real-time events (SkyHOOK) in n8n"), or set Public URL below. SkyHOOK needs MediaValet\'s Enterprise plan; without it use the MediaValet Trigger, which polls.',
        name: 'handshakeNotice',
        type: 'notice',
        default: '',
      },
      {
        displayName: 'Event Names or IDs',
        name: 'events',
        type: 'multiOptions',
        typeOptions: { loadOptionsMethod: 'getSkyhookEvents' },
        default: [],
        required: true,
        description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
        hint: 'Which MediaValet events start the workflow; "Asset: Media File Added" is a new upload',
      },
      {
        displayName: 'Fetch Asset',
        name: 'fetchAsset',
        type: 'boolean',
        default: true,
        description: 'Whether to read each asset the event names from MediaValet and add it to the item as "asset" (null when it was deleted since)',
      },
      {
        displayName: 'Simplify',
        name: 'simplify',
        type: 'boolean',
        default: true,
        displayOptions: { show: { fetchAsset: [true] } },
        description: 'Whether to add the compact asset (ID, title, file name, type, size, dates, keywords, categories, links) instead of MediaValet\'s whole record',
      },
      {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        description: 'How MediaValet reaches this workflow',
        options: [
          {
            displayName: 'Public URL',
            name: 'publicUrl',
            type: 'string',
            default: '',
            placeholder: 'https://n8n.example.com/webhook/…/skyhook',
            description:
              'The address MediaValet should call instead of this node\'s Production URL, when a proxy or relay of yours answers the handshake and forwards the events here. Keep it secret like the Production URL: anyone who knows it can send events (they are still checked against your library).',
          },
        ],
      },
    ],
  };

  methods = {
    loadOptions: {
      /** MediaValet's list of event types; the documented eight when it cannot be read. */
      async getSkyhookEvents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
        let listed: Array<{ name: string; description?: string }> = [];
        try {
          listed = await listSkyhookEventTypes(await mediaValetClient(this));
        } catch {
          // Without the list (no Enterprise plan, or offline) the documented types still let a
          // workflow be built; activation then says what MediaValet answered.
        }
        const names: Array<{ name: string; description?: string }> = listed.length ? listed : SKYHOOK_EVENT_TYPES.map((name) => ({ name }));
        return names
          .map(({ name, description }) => ({ name: label(name), value: name, description: KNOWN[name] ?? description ?? name }))
          .sort((a, b) => a.name.localeCompare(b.name));
      },
    },
  };

  webhookMethods = { default: subscriptionMethods };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveDelivery.call(this);
  }
}
