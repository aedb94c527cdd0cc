/** Read prompt templates from YAML or JSON files, validated, with errors naming the file and key. */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { aiSourcePath } from '../schema-file';
import type { PromptTemplate } from './template-schema';
import { parsePromptTemplate, validateTemplates } from './template-schema';

/** Parse one template document (YAML is a superset of JSON). */
export function parseTemplateDocument(text: string, source: string): PromptTemplate {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (err) {
    throw new Error(`${source} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parsePromptTemplate(data, source);
}

/** Every `*.yaml`, `*.yml` and `*.json` template in a folder, in file-name order; throws on the first bad file or a clash. */
export function loadTemplatesFromDir(dir: string): PromptTemplate[] {
  const files = fs
    .readdirSync(dir)
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort();
  const templates = files.map((file) => parseTemplateDocument(fs.readFileSync(path.join(dir, file), 'utf8'), path.join(dir, file)));
  const outcome = validateTemplates(templates);
  if (outcome.status === 'invalid') throw new Error(`prompt templates in ${dir} clash:\n  ${outcome.problems.join('\n  ')}`);
  return outcome.templates;
}

/** The demo templates (`sentiment`, `summary`) that `npm start` serves. */
export function loadDemoTemplates(): PromptTemplate[] {
  return loadTemplatesFromDir(aiSourcePath('prompts', 'demo'));
}
