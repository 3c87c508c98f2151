import { type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription, NodeConnectionTypes } from 'n8n-workflow';
import { authentication, credentials } from './actions/fields';
import { operationProperties, resources, route } from './actions/router';
import { listSearch, loadOptions } from './methods';

const SMALL_WORDS = new Set(['a', 'an', 'the', 'to', 'of', 'from', 'for', 'in', 'as', 'or', 'and']);
const titleCase = (text: string) => text.replace(/\S+/g, (w, at: number) => (at > 0 && SMALL_WORDS.has(w) ? w : w[0].toUpperCase() + w.slice(1)));

/** "Search Assets", "Upload a File From a URL as a New Asset": each operation's action, as the panel header. */
function subtitle(): string {
  const names: Record<string, string> = {};
  for (const [resource, r] of Object.entries(resources)) {
    for (const option of r.operations.options as Array<{ value: string; action?: string; name: string }>) names[`${resource}:${option.value}`] = titleCase(option.action ?? option.name);
  }
  return `={{ ${JSON.stringify(names)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}

export class MediaValet implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'MediaValet',
    name: 'mediaValet',
    icon: { light: 'file:mediavalet.svg', dark: 'file:mediavalet.dark.svg' },
    group: ['transform'],
    // 2: pickers for assets (list, link, ID), Simplify on by default, the filter builder. Saved version 1 nodes keep their shape.
    version: [1, 2],
    defaultVersion: 2,
    subtitle: subtitle(),
    description: 'Search, tag, upload and download assets in MediaValet, the digital asset management platform',
    defaults: { name: 'MediaValet' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials,
    properties: [
      authentication,
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'API Request', value: 'apiRequest', description: 'Call any MediaValet endpoint' },
          { name: 'Asset', value: 'asset', description: 'Search, get, tag, update, download and delete assets' },
          { name: 'Attribute', value: 'attribute', description: 'The library\'s attribute definitions' },
          { name: 'Auth', value: 'auth', description: 'Get a token for other nodes' },
          { name: 'Category', value: 'category', description: 'The category tree and the assets in a category' },
          { name: 'Keyword', value: 'keyword', description: 'The library\'s keyword list' },
          { name: 'Upload', value: 'upload', description: 'New assets and new versions, from a file or a URL' },
          { name: 'User', value: 'user', description: 'The user the credential signs in as' },
        ],
        default: 'asset',
        description: 'What to work with',
      },
      ...operationProperties(),
    ],
  };

  methods = { listSearch, loadOptions };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return route(this);
  }
}
