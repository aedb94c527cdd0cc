/** Prompt templates: typed GraphQL fields defined by data, governed like any schema change. */
export {
  promptTemplateSchema, parsePromptTemplate, validateTemplates, enumTypeName, placeholdersOf, TEMPLATE_VALUE_TYPES,
} from './template-schema';
export type { PromptTemplate, PromptTemplateInput, TemplateVariable, TemplateOutput, OutputField, TemplateSetOutcome, TemplateValueType } from './template-schema';
export { buildTemplateSdl, templateField, templateTypes } from './sdl';
export { templatesToSdl } from './ai-sdl';
export { renderPromptMessages, checkVariables, renderText } from './render';
export { runPromptTemplate, outputSchemaOf, INVALID_OUTPUT_REASON } from './execute';
export type { PromptRunArgs, PromptRunResult } from './execute';
export { parseTemplateDocument, loadTemplatesFromDir, loadDemoTemplates } from './load';
