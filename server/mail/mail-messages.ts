import type { MailKind, MailLang } from '../../contract/enums.js';
import type { PeriodStatus } from '../../contract/enums.js';
import { PERIOD_STATUS_LABELS } from '../../contract/reporting-periods.js';

/** A message's words in one language: a subject and paragraphs. */
interface Words {
  subject: string;
  paragraphs: string[];
}

/** A message as the outbox stores it. */
export interface ComposedMail {
  kind: MailKind;
  lang: MailLang;
  subject: string;
  text: string;
  html: string;
}

const PRODUCT = { en: 'Alliance Outcomes', zh: '联盟成果' } as const;
/** A period's status as the board says it (an unknown one as it is). */
const statusSaid = (status: string, lang: 'en' | 'zh'): string => PERIOD_STATUS_LABELS[status as PeriodStatus]?.[lang] ?? status;

export interface UniversityNames {
  code: string;
  en: string;
  zh: string;
}

export interface PeriodFacts {
  university: UniversityNames;
  period: string;
  from: string;
  to: string;
}

/** What each kind of message says, in each language. */
export type MailFacts =
  | { kind: 'due_soon'; period: PeriodFacts; dueOn: string; days: number; status: string; records: number }
  | { kind: 'late'; period: PeriodFacts; dueOn: string; daysLate: number; status: string; comment?: string | null | undefined }
  | { kind: 'submitted'; period: PeriodFacts; by: string; at: string; records: number; note: string | null }
  | { kind: 'returned'; period: PeriodFacts; by: string; at: string; comment: string }
  | {
      kind: 'report';
      period: string;
      submission: { id: number; sha256: string; by: string; at: string } | null;
      attachments: string;
    }
  | { kind: 'test'; by: string };

const days = (n: number, en: boolean) => (en ? `${n} day${n === 1 ? '' : 's'}` : `${n} 天`);

function english(f: MailFacts): Words {
  const tag = `[${PRODUCT.en}]`;
  switch (f.kind) {
    case 'due_soon':
      return {
        subject: `${tag} ${f.period.university.en}: ${f.period.period} is due on ${f.dueOn}`,
        paragraphs: [
          `The records of ${f.period.university.en} (${f.period.university.code}) for ${f.period.period} (${f.period.from} to ${f.period.to}) are due on ${f.dueOn}, in ${days(f.days, true)}.`,
          `The period is ${statusSaid(f.status, 'en').toLowerCase()}, with ${f.records} record${f.records === 1 ? '' : 's'} dated in it.`,
          'When its records are complete, submit the period in the dashboard’s reporting cycle.',
        ],
      };
    case 'late':
      return {
        subject: `${tag} ${f.period.university.en}: ${f.period.period} is late (due ${f.dueOn})`,
        paragraphs: [
          `The records of ${f.period.university.en} (${f.period.university.code}) for ${f.period.period} (${f.period.from} to ${f.period.to}) were due on ${f.dueOn}: ${days(f.daysLate, true)} ago.`,
          `The period is ${statusSaid(f.status, 'en').toLowerCase()}. Submit it in the dashboard’s reporting cycle as soon as its records are complete.`,
          // A returned period: what the reviewer asked, so the reminder says what to correct.
          ...(f.status === 'returned' && f.comment ? [`The reviewer's comment: ${f.comment}`] : []),
        ],
      };
    case 'submitted':
      return {
        subject: `${tag} ${f.period.university.en} submitted ${f.period.period} for review`,
        paragraphs: [
          `${f.by} submitted ${f.period.period} (${f.period.from} to ${f.period.to}) of ${f.period.university.en} (${f.period.university.code}) at ${f.at}, with ${f.records} record${f.records === 1 ? '' : 's'}.`,
          ...(f.note ? [`Note: ${f.note}`] : []),
          'Approve it, or return it with a comment, in the dashboard’s reporting cycle.',
        ],
      };
    case 'returned':
      return {
        subject: `${tag} ${f.period.university.en}: ${f.period.period} was returned`,
        paragraphs: [
          `${f.by} returned ${f.period.period} (${f.period.from} to ${f.period.to}) of ${f.period.university.en} (${f.period.university.code}) at ${f.at}.`,
          `Comment: ${f.comment}`,
          'Correct the records, then submit the period again.',
        ],
      };
    case 'report':
      return {
        subject: f.submission
          ? `${tag} Commission report ${f.period} (submission ${f.submission.id})`
          : `${tag} Commission report ${f.period}`,
        paragraphs: [
          f.submission
            ? `The commission report of ${f.period} was submitted by ${f.submission.by} at ${f.submission.at}. SHA-256 of what was submitted: ${f.submission.sha256}.`
            : `The commission report of ${f.period}, as the data stands today, on the schedule the administrators set.`,
          `Attached: ${f.attachments}.`,
        ],
      };
    case 'test':
      return {
        subject: `${tag} Test message`,
        paragraphs: [`${f.by} sent this test message from the dashboard’s mail settings: mail reaches you.`],
      };
  }
}

function chinese(f: MailFacts): Words {
  const tag = `【${PRODUCT.zh}】`;
  switch (f.kind) {
    case 'due_soon':
      return {
        subject: `${tag}${f.period.university.zh} ${f.period.period} 将于 ${f.dueOn} 截止报送`,
        paragraphs: [
          `${f.period.university.zh}（${f.period.university.code}）${f.period.period}（${f.period.from} 至 ${f.period.to}）的记录应于 ${f.dueOn} 前报送，还有 ${days(f.days, false)}。`,
          `该期间当前状态：${statusSaid(f.status, 'zh')}，已有 ${f.records} 条记录。`,
          '记录完整后，请在系统的报送周期中报送该期间。',
        ],
      };
    case 'late':
      return {
        subject: `${tag}${f.period.university.zh} ${f.period.period} 已逾期（截止 ${f.dueOn}）`,
        paragraphs: [
          `${f.period.university.zh}（${f.period.university.code}）${f.period.period}（${f.period.from} 至 ${f.period.to}）的记录应于 ${f.dueOn} 前报送，已逾期 ${days(f.daysLate, false)}。`,
          `该期间当前状态：${statusSaid(f.status, 'zh')}。记录完整后请尽快在系统的报送周期中报送。`,
          ...(f.status === 'returned' && f.comment ? [`审核意见：${f.comment}`] : []),
        ],
      };
    case 'submitted':
      return {
        subject: `${tag}${f.period.university.zh} 已报送 ${f.period.period}，待审核`,
        paragraphs: [
          `${f.by} 于 ${f.at} 报送了${f.period.university.zh}（${f.period.university.code}）${f.period.period}（${f.period.from} 至 ${f.period.to}），共 ${f.records} 条记录。`,
          ...(f.note ? [`备注：${f.note}`] : []),
          '请在系统的报送周期中审核通过，或填写意见后退回。',
        ],
      };
    case 'returned':
      return {
        subject: `${tag}${f.period.university.zh} ${f.period.period} 已被退回`,
        paragraphs: [
          `${f.by} 于 ${f.at} 退回了${f.period.university.zh}（${f.period.university.code}）${f.period.period}（${f.period.from} 至 ${f.period.to}）。`,
          `意见：${f.comment}`,
          '请更正记录后重新报送。',
        ],
      };
    case 'report':
      return {
        subject: f.submission ? `${tag}发改委报告 ${f.period}（第 ${f.submission.id} 次提交）` : `${tag}发改委报告 ${f.period}`,
        paragraphs: [
          f.submission
            ? `${f.period} 的发改委报告由 ${f.submission.by} 于 ${f.submission.at} 提交。所提交内容的 SHA-256：${f.submission.sha256}。`
            : `${f.period} 的发改委报告（按今日数据），按管理员设定的周期发送。`,
          `附件：${f.attachments}。`,
        ],
      };
    case 'test':
      return {
        subject: `${tag}测试邮件`,
        paragraphs: [`${f.by} 在系统的邮件设置中发送了这封测试邮件：邮件可以送达。`],
      };
  }
}

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const htmlOf = (lang: 'en' | 'zh', words: Words, link: string | null): string =>
  `<div lang="${lang === 'zh' ? 'zh-CN' : 'en'}">${words.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}${
    link ? `<p>${escapeHtml(OPEN[lang])}<a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : ''
  }</div>`;

const OPEN = { en: 'Open it in the dashboard: ', zh: '在系统中打开：' } as const;

/**
 * Where in the dashboard a message's subject is (`base`: PUBLIC_URL, without a trailing slash): a
 * period's reporting board of its year, the report of its period (the submission's, when there is
 * one), the dashboard itself for a test message.
 */
export function linkOf(facts: MailFacts, base: string): string {
  switch (facts.kind) {
    case 'due_soon':
    case 'late':
    case 'submitted':
    case 'returned':
      return `${base}/#/reporting?${new URLSearchParams({ year: facts.period.from.slice(0, 4) })}`;
    case 'report':
      return `${base}/#/report?${new URLSearchParams({
        period: facts.period,
        ...(facts.submission ? { submission: String(facts.submission.id) } : {}),
      })}`;
    case 'test':
      return `${base}/`;
  }
}

/**
 * A message in the recipients' language; `both` puts Chinese first, then English, in the subject and the body.
 * The closing line says why the recipient gets it.
 */
export function composeMail(facts: MailFacts, lang: MailLang, publicUrl: string | null = null): ComposedMail {
  const link = publicUrl ? linkOf(facts, publicUrl) : null;
  const zh = chinese(facts);
  const en = english(facts);
  const footer = {
    en: 'This message was sent by the alliance’s outcomes dashboard.',
    zh: '此邮件由联盟成果数据平台发送。',
  };
  const parts = lang === 'both' ? (['zh', 'en'] as const) : ([lang] as const);
  const words = { zh, en };
  const subject = lang === 'both' ? `${zh.subject} / ${en.subject.replace(/^\[[^\]]+\] /, '')}` : words[lang].subject;
  const text = parts
    .map((l) => [...words[l].paragraphs, ...(link ? [`${OPEN[l]}${link}`] : []), footer[l]].join('\n\n'))
    .join('\n\n----\n\n');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family: 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', Arial, sans-serif; font-size: 15px; line-height: 1.6; color: #1b1f24;">${parts
    .map(
      (l) => htmlOf(l, { subject: words[l].subject, paragraphs: words[l].paragraphs }, link) + `<p>${escapeHtml(footer[l])}</p>`,
    )
    .join('<hr style="border: 0; border-top: 1px solid #d0d5db;">')}</body></html>`;
  return { kind: facts.kind, lang, subject, text, html };
}
