import { type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription, NodeConnectionTypes } from 'n8n-workflow';
import { authentication, credentials } from './actions/fields';
import { operationProperties, route } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class MediaValet implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'MediaValet',
    name: 'mediaValet',
    icon: { light: 'file:mediavalet.svg', dark: 'file:mediavalet.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
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
          { name: 'Asset', value: 'asset' },
          { name: 'Attribute', value: 'attribute' },
          { name: 'Auth', value: 'auth', description: 'Get a token for other nodes' },
          { name: 'Category', value: 'category' },
          { name: 'Keyword', value: 'keyword' },
          { name: 'Upload', value: 'upload' },
          { name: 'User', value: 'user' },
        ],
        default: 'asset',
      },
      ...operationProperties(),
    ],
  };

  methods = { listSearch, loadOptions };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return route(this);
  }
}
