/**
 * The AI subgraph's SDL for a template set over its base schema file. The registry (publishing a
 * template change as subgraph `ai`) and the AI subgraph (serving it) must produce the very same
 * text, so both call this.
 */
import { readAiTypeDefs } from '../schema-file';
import { buildTemplateSdl } from './sdl';
import type { PromptTemplate } from './template-schema';

export function templatesToSdl(templates: readonly PromptTemplate[], baseSdl: string = readAiTypeDefs()): string {
  return buildTemplateSdl(templates, baseSdl);
}
