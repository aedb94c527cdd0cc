/** Report formatters, and one switch over the format names the CLI accepts. */
import type { CheckReport } from '../check';
import { formatGithub } from './format-github';
import { formatJson } from './format-json';
import { formatMarkdown } from './format-markdown';
import { formatText } from './format-text';
import { unreachable } from '../../core/errors';

export { formatGithub, formatJson, formatMarkdown, formatText };
export type { GithubFormatOptions } from './format-github';
export { locateCoordinate } from './locate-coordinate';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** Formats a report; `github` needs the SDL file to place annotations. */
export function formatReport(report: CheckReport, format: ReportFormat, file?: { path: string; sdl?: string }): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      return formatJson(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'github':
      return formatGithub(report, { file: file?.path ?? 'schema.graphql', sdl: file?.sdl });
    default: {
      return unreachable(format);
    }
  }
}
