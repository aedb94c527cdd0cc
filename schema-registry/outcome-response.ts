/** A publish, check or diff outcome as the registry's HTTP answer: its status comes from the error catalogue. */
import type http from 'node:http';
import { CharterError, unreachable } from '../core/errors';
import { sendJson } from '../core/http';
import type { CheckOutcome, DiffOutcome, PublishOutcome } from './publisher';

export function sendOutcome(res: http.ServerResponse, outcome: PublishOutcome | CheckOutcome | DiffOutcome): void {
  switch (outcome.status) {
    case 'published':
      return sendJson(res, 201, outcome);
    case 'unchanged':
    case 'checked':
    case 'ok':
      return sendJson(res, 200, outcome);
    case 'rejected': {
      const status = new CharterError(outcome.code, outcome.message).status;
      return sendJson(res, status, { status: 'rejected', error: { code: outcome.code, message: outcome.message, problems: outcome.problems }, ...(outcome.report ? { report: outcome.report } : {}) });
    }
    default: {
      return unreachable(outcome);
    }
  }
}
