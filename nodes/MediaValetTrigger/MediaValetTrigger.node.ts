// Polls MediaValet for new or updated assets. The position lives in the workflow's static
// data (core's watch rules), so no asset is emitted twice for the same change.
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { changeOf, compactAsset, locatedId, pollAssets, searchRequest, startPosition, type WatchEvent, type WatchPosition } from '../../core';
import { authentication, categoryScope, credentials, simplify } from '../MediaValet/actions/fields';
import { listSearch, loadOptions } from '../MediaValet/methods';
import { mediaValetClient } from '../MediaValet/transport/client';
import { toN8nError } from '../MediaValet/transport/errors';

export class MediaValetTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'MediaValet Trigger',
    name: 'mediaValetTrigger',
    icon: { light: 'file:mediavalet.svg', dark: 'file:mediavalet.dark.svg' },
    group: ['trigger'],
    // 2: Simplify, on by default. Saved version 1 triggers keep emitting the whole record.
    version: [1, 2],
    defaultVersion: 2,
    subtitle: '={{$parameter["event"]}}',
    description: 'Starts the workflow when assets are added or changed in MediaValet',
    defaults: { name: 'MediaValet Trigger' },
    polling: true,
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials,
    properties: [
      authentication,
      {
        displayName: 'Trigger On',
        name: 'event',
        type: 'options',
        options: [
          { name: 'New Asset', value: 'new', description: 'An asset was uploaded' },
          { name: 'Updated Asset', value: 'updated', description: 'An existing asset\'s metadata or file changed' },
          { name: 'New or Updated Asset', value: 'both', description: 'Either; each item says which in its "event" field' },
        ],
        default: 'new',
        description: 'Which changes start the workflow. MediaValet is asked every poll interval (set below).',
      },
      {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        description: 'Watch only part of the library',
        options: categoryScope,
      },
      simplify,
    ],
  };

  methods = { listSearch, loadOptions };

  async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
    const event = this.getNodeParameter('event') as WatchEvent;
    // Version 1 has no Simplify: the whole record, as before.
    const shape = (asset: unknown) => (this.getNodeParameter('simplify', false) ? compactAsset(asset) : asset) as IDataObject;
    const options = this.getNodeParameter('options', {}) as IDataObject;
    const raw = options.category ? this.getNodeParameter('options.category', '') : '';
    const picked: unknown = raw && typeof raw === 'object' && !Array.isArray(raw) ? ((raw as { value?: unknown }).value ?? '') : raw;
    try {
      const categoryId = picked !== '' && !(typeof picked === 'string' && !picked.trim()) ? locatedId('category', picked, 'Category') : undefined;
      const client = await mediaValetClient(this);
      if (this.getMode() === 'manual') {
        // "Fetch Test Event": the most recent matching asset, without moving the position.
        const sample = searchRequest({ categoryId, includeSubcategories: options.includeSubcategories !== false, sort: event === 'new' ? 'record.createdAt D' : 'record.modifiedAt D' }, 1, 1);
        for await (const asset of client.paginate<IDataObject>(sample)) return [[{ json: { ...shape(asset), event: event === 'both' ? changeOf(asset) : event } }]];
        return null;
      }
      const data = this.getWorkflowStaticData('node') as { position?: WatchPosition; key?: string };
      const key = JSON.stringify([event, categoryId ?? '', options.includeSubcategories !== false]);
      // A changed filter starts from now rather than replaying an unrelated position.
      if (!data.position || data.key !== key) {
        data.position = startPosition();
        data.key = key;
        return null;
      }
      const { assets, position } = await pollAssets(client, data.position, { event, categoryId, includeSubcategories: options.includeSubcategories !== false });
      data.position = position;
      return assets.length ? [assets.map(({ asset, event: kind }) => ({ json: { ...shape(asset), event: kind } }))] : null;
    } catch (error) {
      throw toN8nError(this.getNode(), error);
    }
  }
}
