import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { UsageRow as AggregatedUsageRow } from '../usage/aggregate';
import type { AiSubgraphContext } from '../subgraph';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Any JSON value: structured model output, or a JSON Schema describing it. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: any; output: any; }
};

export type AiModel = {
  __typename?: 'AiModel';
  contextWindow: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  inputPricePerMTok: Scalars['Float']['output'];
  maxOutputTokens?: Maybe<Scalars['Int']['output']>;
  /** The provider's own name for the model. */
  model: Scalars['String']['output'];
  outputPricePerMTok: Scalars['Float']['output'];
  provider: Scalars['String']['output'];
  providerKind: Scalars['String']['output'];
};

export type AiSpendFigures = {
  __typename?: 'AiSpendFigures';
  /** Of requests, those answered from the exact-match cache (free, no provider call). */
  cacheHits: Scalars['Int']['output'];
  costUsd: Scalars['Float']['output'];
  inputTokens: Scalars['Int']['output'];
  latencyMsAvg: Scalars['Float']['output'];
  outputTokens: Scalars['Int']['output'];
  requests: Scalars['Int']['output'];
  totalTokens: Scalars['Int']['output'];
};

/** Spend grouped by any combination of dimensions, with the totals of the range. */
export type AiSpendReport = {
  __typename?: 'AiSpendReport';
  rows: Array<AiSpendRow>;
  total: AiSpendFigures;
};

/** One combination of the grouped dimensions (the others are null) and its figures. */
export type AiSpendRow = {
  __typename?: 'AiSpendRow';
  /** Of requests, those answered from the exact-match cache (free, no provider call). */
  cacheHits: Scalars['Int']['output'];
  cause?: Maybe<Scalars['String']['output']>;
  costUsd: Scalars['Float']['output'];
  day?: Maybe<Scalars['String']['output']>;
  inputTokens: Scalars['Int']['output'];
  /** The API key id (the application). */
  key?: Maybe<Scalars['String']['output']>;
  latencyMsAvg: Scalars['Float']['output'];
  model?: Maybe<Scalars['String']['output']>;
  outputTokens: Scalars['Int']['output'];
  provider?: Maybe<Scalars['String']['output']>;
  requests: Scalars['Int']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  totalTokens: Scalars['Int']['output'];
};

export type ChatAttempt = {
  __typename?: 'ChatAttempt';
  /** Absent on the attempt that answered. */
  error?: Maybe<ChatAttemptError>;
  model: Scalars['String']['output'];
  provider: Scalars['String']['output'];
};

export type ChatAttemptError = {
  __typename?: 'ChatAttemptError';
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

export type ChatFinishReason =
  | 'CONTENT_FILTER'
  | 'ERROR'
  | 'LENGTH'
  | 'OTHER'
  | 'STOP'
  | 'TOOL_CALLS'
  | 'UNKNOWN';

export type ChatInput = {
  /** JSON Schema the structured output must follow (with responseFormat JSON). */
  jsonSchema?: InputMaybe<Scalars['JSON']['input']>;
  /** Most tokens the answer may have. */
  maxTokens?: InputMaybe<Scalars['Int']['input']>;
  messages: Array<ChatMessageInput>;
  /** A model id (see `models`); give either model or route. With neither, the `default` route answers. */
  model?: InputMaybe<Scalars['String']['input']>;
  /** TEXT (default) or JSON for structured output in `ChatResult.object`. */
  responseFormat?: InputMaybe<ChatResponseFormat>;
  /** A named route: an ordered list of models, the next answering when one fails. */
  route?: InputMaybe<Scalars['String']['input']>;
  temperature?: InputMaybe<Scalars['Float']['input']>;
  /** auto (default), none, required, or the name of one tool the model must call. */
  toolChoice?: InputMaybe<Scalars['String']['input']>;
  /** Functions the model may call; it answers with `toolCalls` for the client to run. */
  tools?: InputMaybe<Array<ChatToolInput>>;
};

export type ChatMessageInput = {
  content: Scalars['String']['input'];
  role: ChatRole;
  /** A TOOL message: the id of the call it answers. */
  toolCallId?: InputMaybe<Scalars['String']['input']>;
  /** An ASSISTANT message: the tool calls it made (as a previous answer's `toolCalls`). */
  toolCalls?: InputMaybe<Array<ChatToolCallInput>>;
};

export type ChatResponseFormat =
  | 'JSON'
  | 'TEXT';

export type ChatResult = {
  __typename?: 'ChatResult';
  /** Every provider call made, in order, including failed ones and fallbacks. */
  attempts: Array<ChatAttempt>;
  /** Answered from the tenant's exact-match cache (temperature 0, opted in with cacheTtlSec): no provider call, no cost. */
  cacheHit: Scalars['Boolean']['output'];
  /** USD at full precision; round only for display. */
  costUsd: Scalars['Float']['output'];
  finishReason: ChatFinishReason;
  /** Id of the model that answered. */
  model: Scalars['String']['output'];
  /** Parsed structured output when responseFormat was JSON. */
  object?: Maybe<Scalars['JSON']['output']>;
  /** Id of the provider that answered. */
  provider: Scalars['String']['output'];
  text: Scalars['String']['output'];
  /** Tools the model asks the client to call (finishReason TOOL_CALLS); empty otherwise. */
  toolCalls: Array<ChatToolCall>;
  usage: ChatTokenUsage;
};

export type ChatRole =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'TOOL'
  | 'USER';

export type ChatTokenUsage = {
  __typename?: 'ChatTokenUsage';
  inputTokens: Scalars['Int']['output'];
  outputTokens: Scalars['Int']['output'];
  totalTokens: Scalars['Int']['output'];
};

/** A call of a tool the model asks the client to make. */
export type ChatToolCall = {
  __typename?: 'ChatToolCall';
  /** The JSON text of the call's input. */
  arguments: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type ChatToolCallInput = {
  /** The JSON text of the call's input. */
  arguments: Scalars['String']['input'];
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};

/** A function the model may call. */
export type ChatToolInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** The function's input as a JSON Schema object. */
  parameters: Scalars['JSON']['input'];
};

export type EmbedInput = {
  /** An embedding model id (see `models`). */
  model?: InputMaybe<Scalars['String']['input']>;
  texts: Array<Scalars['String']['input']>;
};

export type EmbedResult = {
  __typename?: 'EmbedResult';
  /** USD at full precision. */
  costUsd: Scalars['Float']['output'];
  /** One vector per text, in order. */
  embeddings: Array<Array<Scalars['Float']['output']>>;
  inputTokens: Scalars['Int']['output'];
  model: Scalars['String']['output'];
  provider: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Spend between two ISO-8601 dates or date-times, grouped by any combination of dimensions, with totals. Callers with the `admin` role see every tenant. */
  aiSpend: AiSpendReport;
  /**
   * The calling tenant's usage between two ISO-8601 dates or date-times (a date-only `to` includes that
   * whole UTC day), grouped. Callers with the `admin` role see every tenant.
   */
  aiUsage: Array<UsageRow>;
  /**
   * Send messages to a model (or a route of fallback models) and get its answer.
   * A Query, not a Mutation, so it federates simply and can sit beside reads in one operation;
   * it is still metered and never cached: every selection of it is one billed call.
   */
  chat: ChatResult;
  /** Embed texts with an embedding model (the first the tenant may use when none is named); metered and budgeted like chat. */
  embed: EmbedResult;
  /** Models the calling tenant may use. */
  models: Array<AiModel>;
};


export type QueryAiSpendArgs = {
  from: Scalars['String']['input'];
  groupBy: Array<UsageGroupBy>;
  to: Scalars['String']['input'];
};


export type QueryAiUsageArgs = {
  from: Scalars['String']['input'];
  groupBy: UsageGroupBy;
  to: Scalars['String']['input'];
};


export type QueryChatArgs = {
  input: ChatInput;
};


export type QueryEmbedArgs = {
  input: EmbedInput;
};

export type UsageGroupBy =
  /** The GraphQL field, prompt template (prompt:NAME) or /v1 route that caused the spend. */
  | 'CAUSE'
  | 'DAY'
  | 'KEY'
  | 'MODEL'
  | 'PROVIDER'
  | 'TENANT';

export type UsageRow = {
  __typename?: 'UsageRow';
  costUsd: Scalars['Float']['output'];
  inputTokens: Scalars['Int']['output'];
  /** The tenant, model id, API key id (`(none)` without one) or UTC day, by groupBy. */
  key: Scalars['String']['output'];
  outputTokens: Scalars['Int']['output'];
  requests: Scalars['Int']['output'];
  totalTokens: Scalars['Int']['output'];
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = {}, TContext = {}, TArgs = {}> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = {}, TContext = {}, TArgs = {}> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = {}, TContext = {}> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = {}, TContext = {}> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = {}, TParent = {}, TContext = {}, TArgs = {}> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AiModel: ResolverTypeWrapper<{ id: string } & Record<string, unknown>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AiSpendFigures: ResolverTypeWrapper<AiSpendFigures>;
  AiSpendReport: ResolverTypeWrapper<AiSpendReport>;
  AiSpendRow: ResolverTypeWrapper<AiSpendRow>;
  ChatAttempt: ResolverTypeWrapper<ChatAttempt>;
  ChatAttemptError: ResolverTypeWrapper<ChatAttemptError>;
  ChatFinishReason: ChatFinishReason;
  ChatInput: ChatInput;
  ChatMessageInput: ChatMessageInput;
  ChatResponseFormat: ChatResponseFormat;
  ChatResult: ResolverTypeWrapper<Record<string, unknown>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ChatRole: ChatRole;
  ChatTokenUsage: ResolverTypeWrapper<ChatTokenUsage>;
  ChatToolCall: ResolverTypeWrapper<ChatToolCall>;
  ChatToolCallInput: ChatToolCallInput;
  ChatToolInput: ChatToolInput;
  EmbedInput: EmbedInput;
  EmbedResult: ResolverTypeWrapper<EmbedResult>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Query: ResolverTypeWrapper<{}>;
  UsageGroupBy: UsageGroupBy;
  UsageRow: ResolverTypeWrapper<AggregatedUsageRow>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AiModel: { id: string } & Record<string, unknown>;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  Float: Scalars['Float']['output'];
  String: Scalars['String']['output'];
  AiSpendFigures: AiSpendFigures;
  AiSpendReport: AiSpendReport;
  AiSpendRow: AiSpendRow;
  ChatAttempt: ChatAttempt;
  ChatAttemptError: ChatAttemptError;
  ChatInput: ChatInput;
  ChatMessageInput: ChatMessageInput;
  ChatResult: Record<string, unknown>;
  Boolean: Scalars['Boolean']['output'];
  ChatTokenUsage: ChatTokenUsage;
  ChatToolCall: ChatToolCall;
  ChatToolCallInput: ChatToolCallInput;
  ChatToolInput: ChatToolInput;
  EmbedInput: EmbedInput;
  EmbedResult: EmbedResult;
  JSON: Scalars['JSON']['output'];
  Query: {};
  UsageRow: AggregatedUsageRow;
};

export type AiModelResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['AiModel'] = ResolversParentTypes['AiModel']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AiModel']>, { __typename: 'AiModel' } & GraphQLRecursivePick<ParentType, {"id":true}>, ContextType>;
  contextWindow?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inputPricePerMTok?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  maxOutputTokens?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputPricePerMTok?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  providerKind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type AiSpendFiguresResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['AiSpendFigures'] = ResolversParentTypes['AiSpendFigures']> = {
  cacheHits?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  latencyMsAvg?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  requests?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type AiSpendReportResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['AiSpendReport'] = ResolversParentTypes['AiSpendReport']> = {
  rows?: Resolver<Array<ResolversTypes['AiSpendRow']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['AiSpendFigures'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type AiSpendRowResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['AiSpendRow'] = ResolversParentTypes['AiSpendRow']> = {
  cacheHits?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cause?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  costUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  day?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  key?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  latencyMsAvg?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  provider?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requests?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tenant?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ChatAttemptResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['ChatAttempt'] = ResolversParentTypes['ChatAttempt']> = {
  error?: Resolver<Maybe<ResolversTypes['ChatAttemptError']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ChatAttemptErrorResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['ChatAttemptError'] = ResolversParentTypes['ChatAttemptError']> = {
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ChatResultResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['ChatResult'] = ResolversParentTypes['ChatResult']> = {
  attempts?: Resolver<Array<ResolversTypes['ChatAttempt']>, ParentType, ContextType>;
  cacheHit?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  costUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  finishReason?: Resolver<ResolversTypes['ChatFinishReason'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  object?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  toolCalls?: Resolver<Array<ResolversTypes['ChatToolCall']>, ParentType, ContextType>;
  usage?: Resolver<ResolversTypes['ChatTokenUsage'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ChatTokenUsageResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['ChatTokenUsage'] = ResolversParentTypes['ChatTokenUsage']> = {
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ChatToolCallResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['ChatToolCall'] = ResolversParentTypes['ChatToolCall']> = {
  arguments?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type EmbedResultResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['EmbedResult'] = ResolversParentTypes['EmbedResult']> = {
  costUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  embeddings?: Resolver<Array<Array<ResolversTypes['Float']>>, ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type QueryResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  aiSpend?: Resolver<ResolversTypes['AiSpendReport'], ParentType, ContextType, RequireFields<QueryAiSpendArgs, 'from' | 'groupBy' | 'to'>>;
  aiUsage?: Resolver<Array<ResolversTypes['UsageRow']>, ParentType, ContextType, RequireFields<QueryAiUsageArgs, 'from' | 'groupBy' | 'to'>>;
  chat?: Resolver<ResolversTypes['ChatResult'], ParentType, ContextType, RequireFields<QueryChatArgs, 'input'>>;
  embed?: Resolver<ResolversTypes['EmbedResult'], ParentType, ContextType, RequireFields<QueryEmbedArgs, 'input'>>;
  models?: Resolver<Array<ResolversTypes['AiModel']>, ParentType, ContextType>;
};

export type UsageRowResolvers<ContextType = AiSubgraphContext, ParentType extends ResolversParentTypes['UsageRow'] = ResolversParentTypes['UsageRow']> = {
  costUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  requests?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type Resolvers<ContextType = AiSubgraphContext> = {
  AiModel?: AiModelResolvers<ContextType>;
  AiSpendFigures?: AiSpendFiguresResolvers<ContextType>;
  AiSpendReport?: AiSpendReportResolvers<ContextType>;
  AiSpendRow?: AiSpendRowResolvers<ContextType>;
  ChatAttempt?: ChatAttemptResolvers<ContextType>;
  ChatAttemptError?: ChatAttemptErrorResolvers<ContextType>;
  ChatResult?: ChatResultResolvers<ContextType>;
  ChatTokenUsage?: ChatTokenUsageResolvers<ContextType>;
  ChatToolCall?: ChatToolCallResolvers<ContextType>;
  EmbedResult?: EmbedResultResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Query?: QueryResolvers<ContextType>;
  UsageRow?: UsageRowResolvers<ContextType>;
};

