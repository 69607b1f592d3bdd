import type { MessageKey } from './en';

export const zh: Record<MessageKey, string> = {
  'app.title': '长三角高校科技园联盟 · 合作成效',
  'app.footer': '长三角高校科技园联盟 —— 2019年10月25日成立，上海理工大学牵头。',
  'nav.label': '主导航',
  'nav.universities': '成员高校',
  'lang.label': '语言',
  'demo.banner':
    '演示数据（合成）：图中数字由程序生成；创始公告只点名了上海理工大学，其余四所成员高校为占位示例，待管理员录入真实成员。',
  'universities.title': '成员高校',
  'universities.lead': '牵头高校',
  'universities.code': '代码',
  'universities.name': '高校',
  'universities.region': '省市',
  'universities.memberSince': '加入时间',
  'universities.range': '数据时间范围：{from} 至 {to}',
  'universities.noRecords': '暂无记录。',
  'state.loading': '加载中…',
  'state.error': '数据加载失败：{message}',
  'state.retry': '重试',
};
