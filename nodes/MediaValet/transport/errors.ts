// core's errors as n8n errors: MediaValet's words as the message, the fix as the
// description, the HTTP status when MediaValet answered.
import { type INode, type JsonObject, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { isMediaValetError } from '../../../core';

export function toN8nError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
  if (isMediaValetError(error)) {
    if (error.status) {
      return new NodeApiError(node, { ...error.toJSON() } as JsonObject, { message: error.message, description: error.hint, httpCode: String(error.status), itemIndex });
    }
    return new NodeOperationError(node, error.message, { description: error.hint, itemIndex });
  }
  return new NodeOperationError(node, error as Error, { itemIndex });
}
