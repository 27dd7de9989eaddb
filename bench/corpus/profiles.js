// Sector profiles for the case generator: the words that make a generic sentence read right in each sector.
// Unit names are composites ("某区…", "某市属…") so nobody mistakes a generated case for a real report.

/** @typedef {{ sector: string, mechanism: string, org: string, members: string, units: string, biz: string, center: string, people: string, front: string, self: string, names: string[], suffix: string }} Profile */

/** @type {Profile[]} in the book's sector order */
export const profiles = [
  {
    sector: 'agency',
    mechanism: '六个引领工作法',
    org: '机关党委',
    members: '党员干部',
    units: '处室',
    biz: '业务工作',
    center: '服务保障中心任务',
    people: '企业和群众',
    front: '服务一线',
    self: '本单位',
    names: [
      '某区委办公室', '某区发展改革委', '某区市场监管局', '某区司法局', '某区政务服务管理局', '某区财政局',
      '某区人力资源社会保障局', '某区统计局', '某区住房城乡建设委', '某区生态环境局', '某区城市管理委', '某区商务局',
    ],
    suffix: '机关党委',
  },
  {
    sector: 'soe',
    mechanism: '四融四促',
    org: '企业党委',
    members: '党员职工',
    units: '基层单位',
    biz: '生产经营',
    center: '企业高质量发展',
    people: '客户和市民',
    front: '生产一线',
    self: '本企业',
    names: [
      '某市属能源集团', '某市属建工集团', '某市属交通集团', '某市属水务集团', '某市属热力公司', '某市属医药集团',
      '某市属农业集团', '某市属文旅集团', '某市属环卫集团', '某市属燃气公司', '某市属粮食集团', '某市属公交公司',
    ],
    suffix: '党委',
  },
  {
    sector: 'university',
    mechanism: '赋权赋责赋能',
    org: '学校党委',
    members: '党员教师',
    units: '院系',
    biz: '教学科研',
    center: '立德树人根本任务',
    people: '师生',
    front: '教学科研一线',
    self: '本校',
    names: [
      '某市属理工大学', '某市属师范大学', '某市属医科大学', '某市属财经大学', '某市属职业技术学院', '某市属农学院',
      '某市属艺术学院', '某市属工商大学', '某市属联合大学', '某市属信息科技大学', '某市属建筑大学', '某市属体育学院',
    ],
    suffix: '党委',
  },
  {
    sector: 'school',
    mechanism: '赋权赋责赋能',
    org: '学校党组织',
    members: '党员教师',
    units: '年级组',
    biz: '教育教学',
    center: '立德树人根本任务',
    people: '学生和家长',
    front: '教育教学一线',
    self: '本校',
    names: [
      '某区实验中学', '某区第二小学', '某区外国语学校', '某区育才学校', '某区九年一贯制学校', '某区第一中学',
      '某区实验小学', '某区科技中学', '某区民族小学', '某区少年宫附属学校', '某区第五十中学', '某区特殊教育学校',
    ],
    suffix: '党委',
  },
  {
    sector: 'hospital',
    mechanism: '六聚焦六强化',
    org: '医院党委',
    members: '党员医务人员',
    units: '临床科室',
    biz: '医疗服务',
    center: '医院高质量发展',
    people: '患者和家属',
    front: '临床一线',
    self: '本院',
    names: [
      '某区人民医院', '某区中医医院', '某区妇幼保健院', '某市属专科医院', '某区中西医结合医院', '某区精神卫生中心',
      '某区第二医院', '某市属儿童医院', '某市属口腔医院', '某区康复医院', '某市属肿瘤医院', '某区老年病医院',
    ],
    suffix: '党委',
  },
];
