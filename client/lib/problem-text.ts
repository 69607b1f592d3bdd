import { type Lang, type RenderContext, renderProblem } from '../../contract/problems.js';

/**
 * A problem the server answered, in the interface's language: rendered from its code and params
 * by the one catalogue (contract/problems.ts); `ctx` names the columns a message mentions (the
 * interface passes their labels). A problem without a code is shown by its English message.
 */
export function problemText(
  problem: { code?: string; params?: unknown; message?: string; detail?: string },
  lang: Lang,
  ctx?: RenderContext,
): string {
  if (problem.code === undefined) return problem.message ?? problem.detail ?? '';
  return renderProblem({ code: problem.code, params: problem.params }, lang, ctx);
}
