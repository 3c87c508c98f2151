import { type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription, NodeConnectionTypes } from 'n8n-workflow';
import { DEFAULT_IN_FLIGHT } from '../../core';
import { authentication, credentials } from './actions/fields';
import { operationProperties, route } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class MediaValet implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'MediaValet',
    name: 'mediaValet',
    icon: { light: 'file:mediavalet.svg', dark: 'file:mediavalet.dark.svg' },
    group: ['transform'],
    // 2: pickers for assets (list, link, ID), Simplify on by default, the filter builder. Saved version 1 nodes keep their shape.
    // 3: Upload From URL's destination (category, title, file name) as main fields.
    version: [1, 2, 3],
    defaultVersion: 3,
    // Each operation's action, title-cased ("Upload from URL"); test/n8n/node-description.test.ts keeps it in step with the actions.
    subtitle:
      '={{ {"asset:addCategory":"Add to Category","asset:addKeywords":"Add Keywords","asset:delete":"Delete Asset","asset:download":"Download Asset","asset:get":"Get Asset","asset:getDirectLink":"Get Direct Link","asset:getHistory":"Get History","asset:getRenditions":"Get Renditions","asset:removeCategory":"Remove from Category","asset:removeKeywords":"Remove Keywords","asset:search":"Search Assets","asset:update":"Update Asset","upload:uploadFile":"Upload File","upload:uploadFromUrl":"Upload from URL","upload:uploadVersion":"Upload New Version","upload:uploadVersionFromUrl":"New Version from URL","category:create":"Create Category","category:get":"Get Category","category:getAssets":"Get Category Assets","category:getMany":"Get Many Categories","keyword:create":"Create Keyword","keyword:getMany":"Get Many Keywords","attribute:getMany":"Get Many Attributes","user:getCurrent":"Get Current User","apiRequest:send":"Send API Request","auth:getToken":"Get Access Token"}[$parameter["resource"] + ":" + $parameter["operation"]] }}',
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
      {
        displayName: 'Items in Flight',
        name: 'itemsInFlight',
        type: 'number',
        typeOptions: { minValue: 1, maxValue: 1000 },
        default: DEFAULT_IN_FLIGHT,
        description:
          'How many input items are worked on at once (1: one after another). Output order stays the input order. When MediaValet throttles (429), the node halves the calls it has in flight, waits as MediaValet asks, then spaces its calls at the rate MediaValet took.',
      },
    ],
  };

  methods = { listSearch, loadOptions };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return route(this);
  }
}
