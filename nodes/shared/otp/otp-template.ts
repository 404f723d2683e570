/**
 * The OTP message template. Placeholders use single braces, {code}, {app} and {minutes},
 * because {{ }} is n8n's expression syntax: a template in expression mode would have n8n
 * evaluate {{code}} (and fail) before the node ever saw it.
 */
import { FieldError } from '../errors/field-error';

export const CODE_PLACEHOLDER = '{code}';
export const APP_PLACEHOLDER = '{app}';
export const MINUTES_PLACEHOLDER = '{minutes}';
export const DEFAULT_OTP_TEMPLATE = 'Your {app} code is {code}. It expires in {minutes} minutes.';

export interface TemplateValues {
  code: string;
  appName?: string;
  minutes: number;
}

/** Throws a FieldError naming what is wrong with the template; returns it when usable. */
export function checkTemplate(template: unknown, appName: string | undefined): string {
  if (typeof template !== 'string' || template.trim() === '') {
    throw new FieldError('messageTemplate', `Message Template is empty: write the SMS text with ${CODE_PLACEHOLDER} where the code goes`);
  }
  if (template.includes('{{code}}') || template.includes('{{ code }}')) {
    throw new FieldError('messageTemplate', `Message Template: write the placeholder as ${CODE_PLACEHOLDER} (single braces); {{ }} is n8n expression syntax`);
  }
  if (!template.includes(CODE_PLACEHOLDER)) {
    throw new FieldError('messageTemplate', `Message Template has no ${CODE_PLACEHOLDER} placeholder, so the SMS would not contain the code`);
  }
  if (template.includes(APP_PLACEHOLDER) && !appName) {
    throw new FieldError(
      'appName',
      `Message Template uses ${APP_PLACEHOLDER} but no App Name is set: fill in the node's App Name or the SMS OTP Settings credential's`,
    );
  }
  return template;
}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template
    .split(CODE_PLACEHOLDER)
    .join(values.code)
    .split(APP_PLACEHOLDER)
    .join(values.appName ?? '')
    .split(MINUTES_PLACEHOLDER)
    .join(String(values.minutes));
}
