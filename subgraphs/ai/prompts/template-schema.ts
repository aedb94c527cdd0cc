/**
 * A prompt template: a governed, typed GraphQL field. Its name is the Query field, its variables
 * are the field's arguments, and its output is `String!` or an object type of its own. Because the
 * template becomes SDL, the registry's checks see a removed variable or a changed output type as
 * the breaking schema change it is.
 */
import { z } from 'zod';

/** Scalar types a variable or output field may have. */
export const TEMPLATE_VALUE_TYPES = ['String', 'Int', 'Float', 'Boolean', '[String]'] as const;
export type TemplateValueType = (typeof TEMPLATE_VALUE_TYPES)[number];

/** Query fields of the base AI schema: a template may not take their names. */
export const RESERVED_FIELD_NAMES = ['chat', 'models', 'embed', 'aiUsage', 'aiSpend', '_service', '_entities'];
/** Types of the base AI schema and GraphQL built-ins: an output type may not take their names. */
export const RESERVED_TYPE_NAMES = [
  'Query', 'Mutation', 'Subscription', 'JSON', 'ChatInput', 'ChatMessageInput', 'ChatRole', 'ChatResponseFormat', 'ChatResult', 'ChatTokenUsage',
  'ChatFinishReason', 'ChatAttempt', 'ChatAttemptError', 'AiModel', 'UsageGroupBy', 'UsageRow', 'AiSpendReport', 'AiSpendRow', 'AiSpendFigures', 'EmbedInput', 'EmbedResult', 'ChatToolInput', 'ChatToolCallInput', 'ChatToolCall', 'String', 'Int', 'Float', 'Boolean', 'ID',
];

const graphqlName = /^[_A-Za-z][_0-9A-Za-z]*$/;
const typeOf = z.enum(TEMPLATE_VALUE_TYPES, { errorMap: () => ({ message: `type must be one of ${TEMPLATE_VALUE_TYPES.join(', ')}` }) });

export const templateVariableSchema = z
  .object({
    type: typeOf,
    /** Default true: a variable is a non-null argument unless it says otherwise. */
    required: z.boolean().default(true),
    description: z.string().optional(),
  })
  .strict();

export const outputFieldSchema = z
  .object({
    type: typeOf,
    /** Allowed values (for String fields); the field becomes a GraphQL enum `<TypeName><FieldName>`. */
    enum: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'enum values are UPPER_CASE GraphQL names')).min(1).optional(),
    /** Default true: the model must give it and the GraphQL field is non-null. */
    required: z.boolean().default(true),
    description: z.string().optional(),
  })
  .strict()
  .refine((field) => field.enum === undefined || field.type === 'String', { message: 'only String fields can have an enum', path: ['enum'] })
  .refine((field) => field.enum === undefined || new Set(field.enum).size === field.enum.length, { message: 'enum values must be unique', path: ['enum'] });

export const templateOutputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text') }).strict(),
  z
    .object({
      kind: z.literal('object'),
      typeName: z.string().regex(/^[A-Z][_0-9A-Za-z]*$/, 'typeName must be a PascalCase GraphQL name'),
      description: z.string().optional(),
      fields: z.record(z.string().regex(graphqlName, 'field names must be GraphQL names'), outputFieldSchema).refine((fields) => Object.keys(fields).length > 0, 'an object output needs at least one field'),
    })
    .strict(),
]);

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** Names used as `{{name}}` in a text. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

export const promptTemplateSchema = z
  .object({
    /** The Query field name: camelCase. */
    name: z.string().regex(/^[a-z][0-9A-Za-z]*$/, 'name must be a camelCase GraphQL field name'),
    /** Becomes the field's description. */
    description: z.string().min(1, 'description is required'),
    /** A model id; exclusive with `route`. With neither, the `default` route answers. */
    model: z.string().min(1).optional(),
    route: z.string().min(1).optional(),
    /** System message, with `{{variable}}` placeholders like the template. */
    system: z.string().optional(),
    /** The user message, e.g. `Classify the sentiment of: {{text}}`. */
    template: z.string().min(1),
    variables: z.record(z.string().regex(graphqlName, 'variable names must be GraphQL names'), templateVariableSchema).default({}),
    output: templateOutputSchema,
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
  })
  .strict()
  .superRefine((template, ctx) => {
    if (template.model && template.route) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['model'], message: 'give either model or route, not both' });
    if (RESERVED_FIELD_NAMES.includes(template.name)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['name'], message: `'${template.name}' is a field of the AI schema` });
    for (const [key, text] of [['template', template.template], ['system', template.system ?? '']] as const) {
      for (const name of placeholdersOf(text)) {
        if (!(name in template.variables)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `{{${name}}} is not a declared variable` });
      }
    }
    if (template.output.kind === 'object' && RESERVED_TYPE_NAMES.includes(template.output.typeName)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['output', 'typeName'], message: `'${template.output.typeName}' is a type of the AI schema` });
    }
  });

export type PromptTemplate = z.infer<typeof promptTemplateSchema>;
/** A template as written (defaults not applied). */
export type PromptTemplateInput = z.input<typeof promptTemplateSchema>;
export type TemplateVariable = z.infer<typeof templateVariableSchema>;
export type TemplateOutput = z.infer<typeof templateOutputSchema>;
export type ObjectOutput = Extract<TemplateOutput, { kind: 'object' }>;
export type OutputField = z.infer<typeof outputFieldSchema>;

/** The GraphQL enum name of an enum output field: `Sentiment` + `label` = `SentimentLabel`. */
export function enumTypeName(typeName: string, fieldName: string): string {
  return `${typeName}${fieldName[0]!.toUpperCase()}${fieldName.slice(1)}`;
}

export type TemplateSetOutcome = { status: 'valid'; templates: PromptTemplate[] } | { status: 'invalid'; problems: string[] };

function describeIssues(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => `${prefix}${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
}

/**
 * Validate a set of templates: each one, and that names and generated type names do not collide.
 * Every problem is reported at once, each naming the template and key.
 */
export function validateTemplates(inputs: readonly unknown[]): TemplateSetOutcome {
  const problems: string[] = [];
  const templates: PromptTemplate[] = [];
  inputs.forEach((input, index) => {
    const parsed = promptTemplateSchema.safeParse(input);
    const label = typeof (input as { name?: unknown })?.name === 'string' ? `template '${(input as { name: string }).name}'` : `template #${index + 1}`;
    if (!parsed.success) problems.push(...describeIssues(parsed.error, `${label}: `));
    else templates.push(parsed.data);
  });
  const fieldNames = new Set<string>();
  const typeNames = new Map<string, string>();
  for (const template of templates) {
    if (fieldNames.has(template.name)) problems.push(`template '${template.name}': the name is used by another template`);
    fieldNames.add(template.name);
    if (template.output.kind !== 'object') continue;
    const generated = [template.output.typeName];
    for (const [field, spec] of Object.entries(template.output.fields)) if (spec.enum) generated.push(enumTypeName(template.output.typeName, field));
    for (const typeName of generated) {
      const owner = typeNames.get(typeName);
      if (owner) problems.push(`template '${template.name}': type ${typeName} is also generated by template '${owner}'`);
      else if (RESERVED_TYPE_NAMES.includes(typeName)) problems.push(`template '${template.name}': type ${typeName} is a type of the AI schema`);
      typeNames.set(typeName, template.name);
    }
  }
  return problems.length ? { status: 'invalid', problems } : { status: 'valid', templates };
}

/** Parse one template; throws a readable Error naming each bad key (for config-time loading). */
export function parsePromptTemplate(input: unknown, source = 'template'): PromptTemplate {
  const parsed = promptTemplateSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid prompt template in ${source}:\n  ${describeIssues(parsed.error, '').join('\n  ')}`);
  return parsed.data;
}
