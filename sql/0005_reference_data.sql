-- Reference data: the provinces of the delta, the founding members and the fields.
-- Only USST is named by the alliance's founding announcement (25 October 2019); the
-- other four members are stand-ins until an administrator enters the real members.

insert into region (code, name_en, name_zh, position) values
  ('SH', 'Shanghai', '上海市', 1),
  ('JS', 'Jiangsu', '江苏省', 2),
  ('ZJ', 'Zhejiang', '浙江省', 3),
  ('AH', 'Anhui', '安徽省', 4),
  ('OTHER', 'Outside the Yangtze River Delta', '长三角以外地区', 9);

insert into university (code, name_en, name_zh, region_code, member_since, is_lead) values
  ('USST', 'University of Shanghai for Science and Technology', '上海理工大学', 'SH', '2019-10-25', true),
  ('NJTECH', 'Nanjing Tech University', '南京工业大学', 'JS', '2019-10-25', false),
  ('UJS', 'Jiangsu University', '江苏大学', 'JS', '2019-10-25', false),
  ('ZJUT', 'Zhejiang University of Technology', '浙江工业大学', 'ZJ', '2019-10-25', false),
  ('AHUT', 'Anhui University of Technology', '安徽工业大学', 'AH', '2019-10-25', false);

insert into field (code, name_en, name_zh) values
  ('ADV_MFG', 'Advanced manufacturing', '先进制造'),
  ('NEW_MAT', 'New materials', '新材料'),
  ('IT_AI', 'Information technology and AI', '信息技术与人工智能'),
  ('BIOMED', 'Biomedicine and medical devices', '生物医药与医疗器械'),
  ('ENERGY_ENV', 'Energy and environment', '能源与环境'),
  ('OPTO', 'Optoelectronics and precision instruments', '光电与精密仪器');

insert into app_setting (key, value) values
  ('data_version', '1'::jsonb),
  ('dataset', '{"synthetic": false}'::jsonb);
