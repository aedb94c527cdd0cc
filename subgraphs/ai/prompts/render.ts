/**
 * Turn a template and a caller's variables into chat messages. Variables are checked against their
 * declared types first, so a bad call fails with BAD_USER_INPUT naming the variable before any
 * budget is held or provider called.
 */
import { CharterError, unreachable } from '../../../core/errors';
import type { ChatMessage } from '../chat-types';
import type { PromptTemplate, TemplateValueType } from './template-schema';

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

function fitsType(type: TemplateValueType, value: unknown): boolean {
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'Int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'Boolean':
      return typeof value === 'boolean';
    case '[String]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    default: {
      return unreachable(type);
    }
  }
}

function describeType(type: TemplateValueType): string {
  if (type === '[String]') return 'a list of strings';
  return `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;
}

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** Check variables against the template; returns them with absent optional ones as null. */
export function checkVariables(template: PromptTemplate, input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new CharterError('BAD_USER_INPUT', `the variables of prompt '${template.name}' must be a JSON object`);
  const given = input as Record<string, unknown>;
  const declared = Object.keys(template.variables);
  for (const name of Object.keys(given)) {
    if (!(name in template.variables)) {
      throw new CharterError('BAD_USER_INPUT', `prompt '${template.name}' has no variable '${name}' (its variables: ${declared.join(', ') || 'none'})`, { variable: name });
    }
  }
  const checked: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(template.variables)) {
    const value = given[name];
    if (value === undefined || value === null) {
      if (variable.required) throw new CharterError('BAD_USER_INPUT', `variable '${name}' of prompt '${template.name}' is required`, { variable: name });
      checked[name] = null;
      continue;
    }
    if (!fitsType(variable.type, value)) throw new CharterError('BAD_USER_INPUT', `variable '${name}' of prompt '${template.name}' must be ${describeType(variable.type)}`, { variable: name });
    checked[name] = value;
  }
  return checked;
}

/** Replace each `{{name}}` once; values are inserted as text and never re-scanned. */
export function renderText(text: string, variables: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => formatValue(variables[name]));
}

/** The messages a template sends: its system text (if any), then the rendered template as the user's message. */
export function renderPromptMessages(template: PromptTemplate, input: unknown): ChatMessage[] {
  const variables = checkVariables(template, input);
  const messages: ChatMessage[] = [];
  if (template.system) messages.push({ role: 'system', content: renderText(template.system, variables) });
  messages.push({ role: 'user', content: renderText(template.template, variables) });
  return messages;
}
