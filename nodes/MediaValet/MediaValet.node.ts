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
    version: [1, 2],
    defaultVersion: 2,
    // Each operation's action, title-cased ("Search Assets"); test/n8n/node-description.test.ts keeps it in step with the actions.
    subtitle:
      '={{ {"asset:addCategory":"Add an Asset to a Category","asset:addKeywords":"Add Keywords to an Asset","asset:delete":"Delete an Asset","asset:download":"Download an Asset","asset:get":"Get an Asset","asset:getDirectLink":"Get or Create a Direct Link","asset:getHistory":"Get the History of an Asset","asset:getRenditions":"Get the Renditions of an Asset","asset:removeCategory":"Remove an Asset from a Category","asset:removeKeywords":"Remove Keywords from an Asset","asset:search":"Search Assets","asset:update":"Update an Asset","upload:uploadFile":"Upload a File as a New Asset","upload:uploadFromUrl":"Upload a File from a URL as a New Asset","upload:uploadVersion":"Upload a New Version of an Asset","category:create":"Create a Category","category:get":"Get a Category","category:getAssets":"Get the Assets of a Category","category:getMany":"Get Many Categories","keyword:create":"Create a Keyword","keyword:getMany":"Get Many Keywords","attribute:getMany":"Get Many Attributes","user:getCurrent":"Get the Current User","apiRequest:send":"Send an API Request","auth:getToken":"Get an Access Token"}[$parameter["resource"] + ":" + $parameter["operation"]] }}',
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
        typeOptions: { minValue: 1, maxValue: 64 },
        default: DEFAULT_IN_FLIGHT,
        description:
          'How many input items are worked on at once (1: one after another). Output order stays the input order. When MediaValet throttles (429), the node halves the calls it has in flight, waits as MediaValet asks, and grows back.',
      },
    ],
  };

  methods = { listSearch, loadOptions };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return route(this);
  }
}
