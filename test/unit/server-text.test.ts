import { describe, expect, it } from 'vitest';
import { serverText } from '../../client/lib/server-text.js';

describe('the server’s messages in the Chinese interface', () => {
  it('when a message is known, then it is in Chinese, with its codes, numbers and lines kept', () => {
    expect(serverText('must not be negative', 'zh')).toBe('不能为负数');
    expect(serverText('unknown university XX; known: USST, NJTECH', 'zh')).toBe('未知的高校代码 XX；可用：USST, NJTECH');
    expect(serverText('ref TT-1 of USST is also on line 2', 'zh')).toBe('编号 TT-1（USST）与第 2 行重复');
    expect(serverText('must not exceed contract_value_cny (100)', 'zh')).toBe('不能超过合同金额（100）');
    expect(serverText('must not be before signed_on (2024-06-01)', 'zh')).toBe('不能早于签订日期（2024-06-01）');
    expect(serverText('must be at least 1 when there is a reward', 'zh')).toBe('有奖励时至少为 1');
    expect(
      serverText('the rewards (cash 1000000.00 and equity 500000.00) must not exceed contract_value_cny (1200000.00)', 'zh'),
    ).toBe('现金奖励（1000000.00）与股权奖励（500000.00）合计不能超过合同金额（1200000.00）');
    expect(serverText('must be an amount in yuan such as 1200000.50', 'zh')).toBe('必须是以元为单位的金额，如 1200000.50');
    expect(serverText('is required; must be a code such as IT_AI', 'zh')).toBe('必填；必须是代码，如 IT_AI');
    expect(serverText('The file has 10 problems: nothing was imported.', 'zh')).toBe('文件中有 10 处问题，未导入任何记录。');
    expect(serverText('The file has 1 problem: nothing was imported.', 'zh')).toBe('文件中有 1 处问题，未导入任何记录。');
    expect(
      serverText(
        'must be a date written YYYY-MM-DD, not 2024/6/28 (a spreadsheet may have reformatted it: format the column as text or as yyyy-mm-dd)',
        'zh',
      ),
    ).toMatch(/^必须是 YYYY-MM-DD 格式的日期，而不是 2024\/6\/28/);
    expect(serverText('must be a real date written YYYY-MM-DD: there is no 2024-02-30', 'zh')).toBe(
      '必须是真实的日期（YYYY-MM-DD）：不存在 2024-02-30',
    );
    expect(serverText('is too long: at most 4000 characters', 'zh')).toBe('过长：最多 4000 个字符');
    expect(serverText('is also the day of the snapshot of UJS on line 2: one snapshot per university and day', 'zh')).toBe(
      '与第 2 行 UJS 的填报为同一天：每所高校每天一条',
    );
    expect(
      serverText(
        'is the day of the stored snapshot CAP-1 of USST: one snapshot per university and day (update that one with its ref, or choose another day)',
        'zh',
      ),
    ).toBe('USST 已有该日的填报 CAP-1：每所高校每天一条（请用其编号更新，或另选日期）');
    expect(serverText('is required when company_stake is given', 'zh')).toBe('填写高校持股方式时必填');
    expect(serverText('must be Unicode text without a lone surrogate or a NUL character', 'zh')).toMatch(
      /^必须是有效的 Unicode 文本/,
    );
  });

  it('when a message is unknown, or the interface is English, then it is shown as the server wrote it', () => {
    expect(serverText('something new went wrong', 'zh')).toBe('something new went wrong');
    expect(serverText('must not be negative', 'en')).toBe('must not be negative');
  });
});
