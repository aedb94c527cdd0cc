/**
 * A simple deterministic tokenizer. It is exact for the local provider (which counts with it) and
 * a cautious estimate for remote models, whose real tokenizers Charter does not ship: the estimate
 * takes the larger of word-and-punctuation pieces and one token per four characters.
 */
import type { ChatMessage } from './chat-types';

const PIECE = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** Words, numbers and single punctuation marks: the local provider's exact token count. */
export function countTokens(text: string): number {
  return text.match(PIECE)?.length ?? 0;
}

/** Estimated tokens of a text for a remote model. */
export function estimateTokens(text: string): number {
  return Math.max(countTokens(text), Math.ceil(text.length / 4));
}

/** Per-message framing (role markers) that every chat format adds around the content. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** Estimated prompt tokens of a conversation, used for context-window and budget checks. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content) + MESSAGE_OVERHEAD_TOKENS, 0);
}
