/**
 * Run a prompt template: check and render its variables, call the model through the AI service
 * (same routing, budgets and metering as `chat`), and for object outputs ask for structured output
 * validated against the declared type. A reply that does not fit is retried once, then fails with
 * UPSTREAM_UNAVAILABLE and `reason: UPSTREAM_INVALID_OUTPUT`.
 */
import { z } from 'zod';
import { CharterError, unreachable } from '../../../core/errors';
import type { ChatAttempt, ChatRequest, ChatResult, TenantAiContext } from '../chat-types';
import type { AiService } from '../routing';
import type { ObjectOutput, OutputField } from './template-schema';
import type { PromptTemplate } from './template-schema';
import { renderPromptMessages } from './render';

/** Why a template call failed because of what the model answered (a detail of UPSTREAM_UNAVAILABLE). */
export const INVALID_OUTPUT_REASON = 'UPSTREAM_INVALID_OUTPUT';

export interface PromptRunArgs {
  template: PromptTemplate;
  /** The caller's variables (GraphQL arguments or a REST JSON body). */
  variables: unknown;
  tenant: TenantAiContext;
  signal?: AbortSignal;
}

export interface PromptRunResult {
  /** A string for text output, an object of the declared type for object output. */
  output: unknown;
  /** The chat call that produced the output (the last one when a retry was needed). */
  chat: ChatResult;
  /** Model calls made: 2 when the first reply did not fit. */
  tries: number;
}

function fieldSchema(field: OutputField): z.ZodTypeAny {
  let schema: z.ZodTypeAny;
  switch (field.type) {
    case 'String':
      schema = field.enum ? z.enum(field.enum as [string, ...string[]]) : z.string();
      break;
    case 'Int':
      schema = z.number().int();
      break;
    case 'Float':
      schema = z.number();
      break;
    case 'Boolean':
      schema = z.boolean();
      break;
    case '[String]':
      schema = z.array(z.string());
      break;
    default: {
      return unreachable(field.type);
    }
  }
  if (field.description) schema = schema.describe(field.description);
  // Optional fields are nullable rather than absent: strict structured-output modes want every key.
  return field.required ? schema : schema.nullable();
}

/** The zod schema an object output must satisfy; also sent to the provider as JSON Schema. */
export function outputSchemaOf(output: ObjectOutput): z.ZodTypeAny {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const [name, field] of Object.entries(output.fields)) shape[name] = fieldSchema(field);
  return z.object(shape);
}

/** Whether a failed chat call failed because the (last) model's reply did not fit. */
function isInvalidOutput(err: unknown): err is CharterError {
  if (!(err instanceof CharterError) || err.code !== 'UPSTREAM_UNAVAILABLE') return false;
  const attempts = (err.details?.attempts ?? []) as ChatAttempt[];
  return attempts.at(-1)?.error?.code === 'PROVIDER_INVALID_RESPONSE';
}

export async function runPromptTemplate(service: AiService, args: PromptRunArgs): Promise<PromptRunResult> {
  const { template, tenant, signal } = args;
  const base: ChatRequest = {
    model: template.model,
    route: template.route,
    messages: renderPromptMessages(template, args.variables),
    temperature: template.temperature,
    maxTokens: template.maxTokens,
  };
  const output = template.output;
  if (output.kind === 'text') {
    const chat = await service.runChat({ request: base, tenant, signal });
    return { output: chat.text, chat, tries: 1 };
  }
  const request: ChatRequest = { ...base, responseFormat: { type: 'json', name: output.typeName, validator: outputSchemaOf(output) } };
  let firstFailure: CharterError | undefined;
  for (let tries = 1; tries <= 2; tries++) {
    try {
      const chat = await service.runChat({ request, tenant, signal });
      return { output: chat.object, chat, tries };
    } catch (err) {
      if (!isInvalidOutput(err)) throw err;
      firstFailure ??= err;
      if (tries === 2) {
        const attempts = [...((firstFailure.details?.attempts ?? []) as ChatAttempt[]), ...((err.details?.attempts ?? []) as ChatAttempt[])];
        const last = attempts.at(-1)?.error?.message ?? 'no detail';
        throw new CharterError('UPSTREAM_UNAVAILABLE', `prompt '${template.name}': the model's reply did not fit ${output.typeName}, twice (${last})`, { reason: INVALID_OUTPUT_REASON, attempts });
      }
    }
  }
  throw new Error('unreachable');
}
