import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { MediaValetClient } from '../../../core';

export interface OperationContext {
  ctx: IExecuteFunctions;
  client: MediaValetClient;
  /** The input item this run is for. */
  index: number;
}

/** An output item with binary data, passed through as is. */
export class ItemWithBinary {
  constructor(readonly item: INodeExecutionData) {}
}

/** Each JSON object becomes one output item. */
export type OperationResult = IDataObject | Record<string, unknown> | Array<IDataObject | Record<string, unknown>> | ItemWithBinary;

export interface Operation {
  /** The fields this operation shows, without displayOptions for resource and operation. */
  properties: INodeProperties[];
  execute(run: OperationContext): Promise<OperationResult>;
}

export interface Resource {
  /** The operation picker for this resource. */
  operations: INodeProperties;
  byName: Record<string, Operation>;
}
