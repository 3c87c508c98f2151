// The node types n8n would load from this package, under the names a workflow uses.
import { type INodeType, type INodeTypes, type IVersionedNodeType, NodeHelpers } from 'n8n-workflow';
import { MediaValet } from '../../nodes/MediaValet/MediaValet.node';
import { MediaValetTrigger } from '../../nodes/MediaValetTrigger/MediaValetTrigger.node';
import { MediaValetEventsTrigger } from '../../nodes/MediaValetEventsTrigger/MediaValetEventsTrigger.node';

export const PACKAGE = 'n8n-nodes-mediavalet';

let known: Record<string, INodeType> | undefined;

export function nodeTypes(): INodeTypes {
  known ??= { [`${PACKAGE}.mediaValet`]: new MediaValet(), [`${PACKAGE}.mediaValetTrigger`]: new MediaValetTrigger(), [`${PACKAGE}.mediaValetEventsTrigger`]: new MediaValetEventsTrigger() };
  const byName = (type: string): INodeType => {
    const found = known![type];
    if (!found) throw new Error(`unknown node type ${type}`);
    return found;
  };
  return {
    getByName: (type: string): INodeType | IVersionedNodeType => byName(type),
    getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(byName(type), version),
    getKnownTypes: () => ({}),
  };
}
