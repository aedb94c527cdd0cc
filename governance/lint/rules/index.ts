/** Every lint rule, in report order. */
import type { LintRule } from '../types';
import { allowedTags } from './allowed-tags';
import { argumentNamesCamelCase } from './argument-names-camel-case';
import { deprecateBeforeDelete } from './deprecate-before-delete';
import { deprecatedHasReason } from './deprecated-has-reason';
import { enumValuesUpperCase } from './enum-values-upper-case';
import { fieldNamesCamelCase } from './field-names-camel-case';
import { inputTypesEndWithInput } from './input-types-end-with-input';
import { rootFieldDescription } from './root-field-description';
import { subgraphOwner } from './subgraph-owner';
import { typeDescription } from './type-description';
import { typeNamesPascalCase } from './type-names-pascal-case';

export const LINT_RULES: readonly LintRule[] = [
  typeNamesPascalCase,
  fieldNamesCamelCase,
  argumentNamesCamelCase,
  enumValuesUpperCase,
  inputTypesEndWithInput,
  typeDescription,
  rootFieldDescription,
  deprecatedHasReason,
  deprecateBeforeDelete,
  allowedTags,
  subgraphOwner,
];
