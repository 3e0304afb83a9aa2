// An alert in the screen's language: the rules store it in Chinese, with the figures and
// names that let every screen word it afresh (server/schema/alert-words.ts).
import { wordAlert, type Alert, type AlertWords } from '../../../server/schema/index.ts';
import { lang } from './i18n.ts';

export const alertText = (alert: Pick<Alert, 'kind' | 'message' | 'rule' | 'figures' | 'terms'>): AlertWords =>
  lang === 'zh' ? { message: alert.message, rule: alert.rule ?? '' } : wordAlert(alert, lang);
