import { dayNumber, isoDate } from '../lib/dates.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import type {
  CompanyStake,
  IncubationStage,
  NewCapacity,
  NewCredit,
  NewIncubation,
  NewPayment,
  NewTalent,
  NewTarget,
  NewTechTransfer,
  TalentLevel,
  TransferMode,
} from '../db/schema.js';
import { Random } from './random.js';

/** The day the framework agreement was signed: demo records start here. */
export const AGREEMENT_DATE = '2019-10-25';

export type DemoRecord =
  | { kind: 'tech_transfer'; row: NewTechTransfer }
  | { kind: 'payment'; row: NewPayment }
  | { kind: 'incubation'; row: NewIncubation }
  | { kind: 'talent'; row: NewTalent }
  | { kind: 'credit'; row: NewCredit }
  | { kind: 'capacity'; row: NewCapacity };

/** The kinds drawn from the calendar; each contract brings its payments besides, and each year its capacity snapshots. */
type DrawnKind = Exclude<DemoRecord['kind'], 'payment' | 'capacity'>;

export interface DemoOptions {
  seed: number;
  /** Records of the four drawn kinds together; the payments on the contracts come besides. */
  records: number;
  /** The last day records may carry; the same seed and as-of day give the same rows. */
  asOf: string;
}

interface DemoUniversity {
  code: string;
  region: string;
  /** Relative size: how many records it produces. */
  weight: number;
  fields: Readonly<Record<string, number>>;
}

/** The five default members of the demo, with a plausible size and research profile each. */
const UNIVERSITIES: readonly DemoUniversity[] = [
  {
    code: 'USST',
    region: 'SH',
    weight: 1.3,
    fields: { OPTO: 3, ADV_MFG: 2, BIOMED: 2, ENERGY_ENV: 1.5, IT_AI: 1.5, NEW_MAT: 0.5 },
  },
  {
    code: 'NJTECH',
    region: 'JS',
    weight: 1.1,
    fields: { NEW_MAT: 3, ENERGY_ENV: 2.5, BIOMED: 1.5, ADV_MFG: 1, IT_AI: 0.5, OPTO: 0.3 },
  },
  { code: 'UJS', region: 'JS', weight: 1.0, fields: { ADV_MFG: 3, ENERGY_ENV: 2, BIOMED: 1, NEW_MAT: 1, IT_AI: 1, OPTO: 0.5 } },
  {
    code: 'ZJUT',
    region: 'ZJ',
    weight: 1.2,
    fields: { IT_AI: 3, NEW_MAT: 1.5, BIOMED: 2, ADV_MFG: 1.5, ENERGY_ENV: 1, OPTO: 0.5 },
  },
  {
    code: 'AHUT',
    region: 'AH',
    weight: 0.7,
    fields: { NEW_MAT: 3, ADV_MFG: 2, ENERGY_ENV: 2, IT_AI: 0.7, BIOMED: 0.3, OPTO: 0.3 },
  },
];

const KIND_SHARE = { tech_transfer: 0.4, credit: 0.35, incubation: 0.13, talent: 0.12 } as const;

/** Relative activity per calendar month (index 0 = January), by kind of record. */
const SEASON: Readonly<Record<DrawnKind, readonly number[]>> = {
  // Contracts bunch before the year-end closing and thin out at the Spring Festival.
  tech_transfer: [0.7, 0.45, 0.9, 0.95, 1.0, 1.15, 1.0, 0.85, 0.95, 1.0, 1.1, 1.6],
  incubation: [0.8, 0.5, 1.1, 1.1, 1.1, 1.0, 0.9, 0.8, 1.2, 1.1, 1.0, 0.9],
  // Cohorts start with the autumn term, fewer with the spring term.
  talent: [0.1, 0.3, 1.6, 0.3, 0.2, 0.2, 0.5, 0.8, 4.5, 0.6, 0.3, 0.1],
  // Credits are recognised after each term's examinations.
  credit: [1.6, 0.7, 0.3, 0.05, 0.05, 0.2, 1.8, 0.5, 0.3, 0.1, 0.05, 0.1],
};

/** Activity grows once the agreement takes hold; the first pandemic spring slows everything. */
function growth(day: number, start: number): number {
  const years = (day - start) / 365.25;
  const ramp = 0.55 + 0.45 * (1 - Math.exp(-years / 1.5)) + 0.08 * years;
  const date = isoDate(day);
  const pandemic = date >= '2020-01-20' && date < '2020-05-01' ? 0.45 : 1;
  return ramp * pandemic;
}

function dayWeight(kind: DrawnKind, day: number, start: number): number {
  if (day < start) return 0;
  const month = new Date(day * 86_400_000).getUTCMonth();
  return growth(day, start) * SEASON[kind][month]!;
}

/** Cumulative day weights for one kind, so a day can be drawn by inverse transform. */
class DaySampler {
  readonly #cumulative: Float64Array;

  constructor(
    private readonly kind: DrawnKind,
    private readonly start: number,
    end: number,
  ) {
    this.#cumulative = new Float64Array(end - start + 1);
    let total = 0;
    for (let day = start; day <= end; day++) {
      total += dayWeight(kind, day, start);
      this.#cumulative[day - start] = total;
    }
  }

  draw(random: Random): number {
    const cumulative = this.#cumulative;
    const target = random.next() * cumulative[cumulative.length - 1]!;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid]! <= target) low = mid + 1;
      else high = mid;
    }
    return this.start + low;
  }

  /** The share of its calendar year's expected activity that falls on or before `day`. */
  shareOfYearBy(day: number): number {
    const year = new Date(day * 86_400_000).getUTCFullYear();
    let elapsed = 0;
    let full = 0;
    for (let d = dayNumber(`${year}-01-01`); d <= dayNumber(`${year}-12-31`); d++) {
      const w = dayWeight(this.kind, d, this.start);
      full += w;
      if (d <= day) elapsed += w;
    }
    return full === 0 ? 1 : elapsed / full;
  }
}

const CITIES: Readonly<Record<string, readonly string[]>> = {
  SH: ['上海'],
  JS: ['南京', '苏州', '无锡', '常州', '镇江', '南通'],
  ZJ: ['杭州', '宁波', '嘉兴', '湖州', '绍兴'],
  AH: ['合肥', '马鞍山', '芜湖', '滁州'],
  OTHER: ['深圳', '北京', '武汉', '成都', '青岛', '西安'],
};
const BRANDS = [
  '华创',
  '恒泰',
  '中科',
  '天润',
  '博远',
  '精工',
  '新锐',
  '瑞丰',
  '海德',
  '宏达',
  '卓越',
  '智联',
  '同创',
  '德胜',
  '联芯',
  '汇川',
  '云峰',
  '明道',
];
const INDUSTRY: Readonly<Record<string, readonly string[]>> = {
  ADV_MFG: ['智能装备', '精密机械', '自动化技术'],
  NEW_MAT: ['新材料', '高分子材料', '冶金科技'],
  IT_AI: ['信息技术', '智能科技', '软件'],
  BIOMED: ['生物医药', '医疗器械', '健康科技'],
  ENERGY_ENV: ['环保科技', '新能源', '节能技术'],
  OPTO: ['光电科技', '光学仪器', '激光技术'],
};
const PROJECTS: Readonly<Record<string, readonly string[]>> = {
  ADV_MFG: ['工业机器人柔性关节', '数控机床智能运维平台', '农机电驱动系统', '增材制造工艺包'],
  NEW_MAT: ['高性能锂电隔膜', '生物基可降解塑料', '特种钢表面涂层', '气凝胶隔热材料'],
  IT_AI: ['工业视觉缺陷检测', '供应链智能调度系统', '边缘计算网关', '大模型知识问答平台'],
  BIOMED: ['便携式超声诊断仪', '手术机器人导航', '缓释制剂技术', '医用光学内窥镜'],
  ENERGY_ENV: ['氢燃料电池电堆', '工业废水零排放', '储能电池管理系统', '碳捕集吸附剂'],
  OPTO: ['激光雷达光学模组', '太赫兹成像检测', '光纤传感监测系统', '微纳光学元件'],
};
const COURSES: ReadonlyArray<readonly [string, number]> = [
  ['工程热力学', 3],
  ['机械设计基础', 3.5],
  ['数据结构', 3],
  ['材料科学基础', 3],
  ['自动控制原理', 3],
  ['光学工程导论', 2],
  ['人工智能导论', 2],
  ['技术转移概论', 1.5],
  ['创新创业实践', 2],
  ['流体力学', 3],
  ['生物医学工程概论', 2],
  ['大学物理实验', 1],
  ['工程伦理', 1],
  ['数值分析', 2.5],
  ['新能源技术', 2],
];
const PROGRAMS: Readonly<Record<TalentLevel, readonly string[]>> = {
  undergraduate: ['长三角卓越工程师联合培养班', '本科生交换学习项目', '微专业联合培养'],
  master: ['专业学位硕士联合培养', '产教融合研究生联合培养'],
  doctoral: ['博士研究生联合培养计划', '工程博士校企联合培养'],
  tech_manager: ['长三角技术经理人联合培训', '技术转移转化人才研修班'],
  other: ['创新创业暑期学校', '青年教师联合研修'],
};

const MODE_WEIGHTS: Readonly<Record<TransferMode, number>> = {
  development: 35,
  service: 25,
  consulting: 10,
  transfer: 15,
  license: 10,
  equity: 5,
};
/** Median contract value (yuan) and log-space spread, by mode. */
const VALUE_MODEL: Readonly<Record<TransferMode, readonly [number, number]>> = {
  development: [400_000, 1.1],
  service: [150_000, 1.0],
  consulting: [80_000, 0.9],
  transfer: [600_000, 1.3],
  license: [500_000, 1.3],
  equity: [3_000_000, 1.2],
};
const LEVEL_WEIGHTS: Readonly<Record<TalentLevel, number>> = {
  undergraduate: 35,
  master: 30,
  doctoral: 10,
  tech_manager: 15,
  other: 10,
};
/** Cohort size range and programme length in days, by level. */
const COHORT: Readonly<Record<TalentLevel, readonly [number, number, number]>> = {
  undergraduate: [20, 60, 330],
  master: [5, 25, 900],
  doctoral: [2, 8, 1400],
  tech_manager: [30, 90, 90],
  other: [20, 120, 30],
};

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Rounds a contract value the way contracts are written: to the hundred or the thousand yuan. */
function contractRound(value: number): number {
  const unit = value >= 100_000 ? 1000 : 100;
  return Math.max(unit, Math.round(value / unit) * unit);
}

/** Accumulates each measure per university and year as records go by, for the demo targets. */
type Actuals = Map<string, number>;
const actualKey = (measure: MeasureId, university: string, year: number): string => `${measure}|${university}|${year}`;

/**
 * Writes the demo records one at a time (so ten million never sit in memory) and, once
 * they have all been read, the targets that go with them.
 */
export class DemoDataGenerator {
  readonly #options: DemoOptions;
  readonly #start = dayNumber(AGREEMENT_DATE);
  readonly #end: number;
  readonly #samplers: Record<DrawnKind, DaySampler>;
  readonly #actuals: Actuals = new Map();
  #done = false;
  /** The stream of closing and completion dates (see `records`). */
  #dates = new Random(0);
  /** The stream of payment schedules: another stream, so that the contracts stay as they were. */
  #payments = new Random(0);
  /** The stream of rewards to individuals on the contracts: another stream again. */
  #rewards = new Random(0);
  /** The stream of the companies the incubated projects registered. */
  #companies = new Random(0);

  constructor(options: DemoOptions) {
    if (!Number.isInteger(options.records) || options.records < 0) throw new RangeError('records must be a whole number');
    this.#options = options;
    this.#end = Math.max(this.#start, dayNumber(options.asOf));
    this.#samplers = {
      tech_transfer: new DaySampler('tech_transfer', this.#start, this.#end),
      incubation: new DaySampler('incubation', this.#start, this.#end),
      talent: new DaySampler('talent', this.#start, this.#end),
      credit: new DaySampler('credit', this.#start, this.#end),
    };
  }

  /** How many records of each kind `records` splits into. */
  static split(records: number): Record<DrawnKind, number> {
    const tech = Math.round(records * KIND_SHARE.tech_transfer);
    const credit = Math.round(records * KIND_SHARE.credit);
    const incubation = Math.round(records * KIND_SHARE.incubation);
    return { tech_transfer: tech, credit, incubation, talent: Math.max(0, records - tech - credit - incubation) };
  }

  *records(): Generator<DemoRecord> {
    const random = new Random(this.#options.seed);
    // Closing and completion dates come from a stream of their own, so every other value stays as it was.
    this.#dates = new Random(this.#options.seed ^ 0xda7e);
    this.#payments = new Random(this.#options.seed ^ 0xca54);
    this.#rewards = new Random(this.#options.seed ^ 0x7e3a);
    this.#companies = new Random(this.#options.seed ^ 0xc0c0);
    const counts = DemoDataGenerator.split(this.#options.records);
    const sequence = new Map<string, number>();
    const nextRef = (prefix: string, university: string, day: number): string => {
      const key = `${prefix}-${university}-${isoDate(day).slice(0, 4)}`;
      const n = (sequence.get(key) ?? 0) + 1;
      sequence.set(key, n);
      return `${key}-${String(n).padStart(5, '0')}`;
    };
    // Interleave the kinds, so any prefix of the stream is a plausible small dataset.
    const remaining = { ...counts };
    let left = this.#options.records;
    while (left > 0) {
      let r = random.next() * left;
      let kind: DrawnKind = 'tech_transfer';
      for (const k of ['tech_transfer', 'credit', 'incubation', 'talent'] as const) {
        r -= remaining[k];
        if (r < 0) {
          kind = k;
          break;
        }
      }
      if (remaining[kind] === 0) kind = (Object.keys(remaining) as DrawnKind[]).find((k) => remaining[k] > 0)!;
      remaining[kind]--;
      left--;
      const university = this.#pickUniversity(random);
      const day = this.#samplers[kind].draw(random);
      const record = this.#make(kind, random, university, day, nextRef);
      yield record;
      if (record.kind === 'tech_transfer') yield* this.#paymentsOn(record.row, nextRef);
    }
    yield* this.#capacitySnapshots();
    this.#done = true;
  }

  /**
   * Each university's transfer organisation at each year's end that has come (on the agreement
   * day too): growing with the alliance and with the university's size, from a stream of its own.
   */
  *#capacitySnapshots(): Generator<DemoRecord> {
    const random = new Random(this.#options.seed ^ 0xcaba);
    const firstYear = Number(AGREEMENT_DATE.slice(0, 4));
    for (const university of UNIVERSITIES) {
      let offices = random.chance(0.7) ? 1 : 0;
      let staff = Math.round(university.weight * random.uniform(3, 7));
      let managers = Math.round(staff * random.uniform(0.2, 0.5));
      let coBuilt = random.int(0, 2);
      for (let year = firstYear; ; year++) {
        const day = year === firstYear ? dayNumber(AGREEMENT_DATE) : dayNumber(`${year}-12-31`);
        if (day > this.#end) break;
        if (year > firstYear) {
          if (offices === 0 && random.chance(0.6)) offices = 1;
          staff += random.int(0, Math.max(1, Math.round(university.weight * 3)));
          // Technology managers come from the alliance's joint courses: more each year, never more than the staff.
          managers = Math.min(staff, managers + random.int(0, 3));
          if (random.chance(0.35)) coBuilt += 1;
        }
        const row: NewCapacity = {
          university_code: university.code,
          ref: `CAP-${university.code}-${isoDate(day)}`,
          snapshot_on: isoDate(day),
          transfer_offices: offices,
          staff,
          tech_managers: managers,
          co_built: coBuilt,
        };
        yield { kind: 'capacity', row };
      }
    }
  }

  /**
   * The company an incubated project registered, from the company stream: about a third do, most
   * founded by the university (创设), the rest with the university holding shares (参股); registered
   * up to four months before entry (not before the agreement) or within a year and a half after, if that day has come.
   */
  #companyOf(entered: number, university: string): Pick<NewIncubation, 'company_registered_on' | 'company_stake'> {
    const random = this.#companies;
    if (!random.chance(0.35)) return {};
    // Not before the agreement, where the demo's records start.
    const day = Math.max(dayNumber(AGREEMENT_DATE), entered + random.int(-120, 540));
    const stake: CompanyStake = random.chance(0.65) ? 'founded' : 'shareholder';
    if (day > this.#end) return {};
    this.#count('incubation.companies', university, day, 1);
    return { company_registered_on: isoDate(day), company_stake: stake };
  }

  /** Targets per measure, year and university (and alliance-wide), set near what was achieved. */
  targets(): NewTarget[] {
    if (!this.#done) throw new Error('read every record before asking for the targets');
    const random = new Random(this.#options.seed ^ 0x5eed);
    const targets: NewTarget[] = [];
    const firstYear = Number(AGREEMENT_DATE.slice(0, 4)) + 1;
    const lastYear = Number(isoDate(this.#end).slice(0, 4));
    const alliance = new Map<string, number>();
    for (const key of [...this.#actuals.keys()].sort()) {
      const [measure, university, yearText] = key.split('|') as [MeasureId, string, string];
      const year = Number(yearText);
      if (year < firstYear || year > lastYear) continue;
      const kind = measure.startsWith('credits') ? 'credit' : (measure.split('.')[0] as DrawnKind);
      const share = year === lastYear ? this.#samplers[kind].shareOfYearBy(this.#end) : 1;
      const projected = this.#actuals.get(key)! / Math.max(share, 0.05);
      const value = roundTarget(measure, projected * random.uniform(0.92, 1.22));
      targets.push({ measure, year, university_code: university, value });
      const allianceKey = `${measure}|${year}`;
      alliance.set(allianceKey, (alliance.get(allianceKey) ?? 0) + value);
    }
    for (const [key, value] of alliance) {
      const [measure, year] = key.split('|') as [string, string];
      targets.push({ measure, year: Number(year), university_code: null, value: round2(value) });
    }
    return targets;
  }

  #pickUniversity(random: Random): DemoUniversity {
    const total = UNIVERSITIES.reduce((sum, u) => sum + u.weight, 0);
    let r = random.next() * total;
    for (const university of UNIVERSITIES) {
      r -= university.weight;
      if (r < 0) return university;
    }
    return UNIVERSITIES[UNIVERSITIES.length - 1]!;
  }

  #otherUniversity(random: Random, university: DemoUniversity): string {
    const others = UNIVERSITIES.filter((u) => u.code !== university.code);
    return random.pick(others).code;
  }

  #count(measure: MeasureId, university: string, day: number | null, amount: number): void {
    if (day === null) return;
    const key = actualKey(measure, university, new Date(day * 86_400_000).getUTCFullYear());
    this.#actuals.set(key, (this.#actuals.get(key) ?? 0) + amount);
  }

  /**
   * The payments on a contract, received by the as-of day: most contracts are paid within a year of
   * signing, in one to three parts; some over three years; licences pay a part up front and yearly
   * royalties; equity investment is paid in shares, with at most a small cash part soon after
   * signing. Some contracts are never paid in full. All from the payment stream.
   */
  *#paymentsOn(
    contract: NewTechTransfer,
    nextRef: (prefix: string, university: string, day: number) => string,
  ): Generator<DemoRecord> {
    const random = this.#payments;
    const signed = dayNumber(contract.signed_on);
    const value = contract.contract_value_cny;
    const schedule: Array<[offset: number, share: number]> = [];
    const collected = random.chance(0.15) ? random.uniform(0.3, 0.9) : 1;
    switch (contract.mode) {
      case 'equity':
        if (random.chance(0.3)) schedule.push([random.int(0, 90), random.uniform(0.02, 0.1)]);
        break;
      case 'license': {
        const years = random.int(2, 5);
        const upfront = random.uniform(0.2, 0.4);
        schedule.push([random.int(0, 60), upfront]);
        for (let y = 1; y <= years; y++) schedule.push([365 * y + random.int(-20, 40), (1 - upfront) / years]);
        break;
      }
      default: {
        const spread = random.chance(0.2) ? 3 * 365 : 365;
        const parts = random.int(1, 3);
        for (let i = 0; i < parts; i++) {
          const start = Math.floor((spread * i) / parts);
          schedule.push([random.int(start, Math.floor((spread * (i + 1)) / parts)), 1 / parts]);
        }
      }
    }
    let paid = 0;
    for (const [offset, share] of schedule) {
      const day = signed + Math.max(0, offset);
      if (day > this.#end) break;
      const amount = Math.min(round2(value * share * collected), round2(value - paid));
      if (amount <= 0) continue;
      paid = round2(paid + amount);
      const row: NewPayment = {
        university_code: contract.university_code,
        ref: nextRef('PAY', contract.university_code, day),
        contract_ref: contract.ref,
        received_on: isoDate(day),
        amount_cny: amount,
      };
      this.#count('tech_transfer.received', contract.university_code, day, amount);
      yield { kind: 'payment', row };
    }
  }

  /**
   * The rewards to individuals on a contract, from the reward stream: most contracts that transform
   * an achievement reward its makers (cash, or for equity investment mostly shares), some technical
   * services do; granted two months to a year and more after signing, if that day has come.
   */
  #rewardsOn(contract: NewTechTransfer): Partial<NewTechTransfer> {
    const random = this.#rewards;
    const transformation = ['transfer', 'license', 'equity'].includes(contract.mode);
    if (!random.chance(transformation ? 0.55 : 0.12)) return {};
    const day = dayNumber(contract.signed_on) + random.int(60, 420);
    if (day > this.#end) return {};
    const value = contract.contract_value_cny;
    const equity = contract.mode === 'equity' ? round2(value * random.uniform(0.3, 0.7)) : 0;
    const cash =
      contract.mode === 'equity'
        ? random.chance(0.3)
          ? round2(value * random.uniform(0.01, 0.05))
          : 0
        : round2(value * (transformation ? random.uniform(0.3, 0.6) : random.uniform(0.05, 0.2)));
    if (cash + equity <= 0) return {};
    return { reward_cash_cny: cash, reward_equity_cny: equity, rewarded_people: random.int(1, 9), rewarded_on: isoDate(day) };
  }

  #make(
    kind: DrawnKind,
    random: Random,
    university: DemoUniversity,
    day: number,
    nextRef: (prefix: string, university: string, day: number) => string,
  ): DemoRecord {
    const age = this.#end - day;
    const field = random.weighted(university.fields);
    switch (kind) {
      case 'tech_transfer': {
        const mode = random.weighted(MODE_WEIGHTS);
        const [median, sigma] = VALUE_MODEL[mode];
        let value = random.logNormal(median, sigma);
        if (random.chance(0.004)) value *= random.uniform(30, 200); // the rare landmark contract
        value = contractRound(Math.min(value, 800_000_000));
        // Drawn still, so that every later value stays as it was; the cash comes from the payments now.
        random.uniform(0, 1);
        const partnerRegion = random.weighted({
          [university.region]: 45,
          SH: 20,
          JS: 12,
          ZJ: 10,
          AH: 6,
          OTHER: 12,
        } as Record<string, number>);
        const row: NewTechTransfer = {
          university_code: university.code,
          ref: nextRef('TT', university.code, day),
          mode,
          partner_name: `${random.pick(CITIES[partnerRegion]!)}${random.pick(BRANDS)}${random.pick(INDUSTRY[field]!)}${random.chance(0.3) ? '股份' : ''}有限公司`,
          partner_region_code: partnerRegion,
          co_university_code: random.chance(0.12) ? this.#otherUniversity(random, university) : null,
          field_code: field,
          signed_on: isoDate(day),
          contract_value_cny: value,
          patents: ['transfer', 'license', 'equity'].includes(mode)
            ? 1 + Math.floor(-Math.log(1 - random.next()) * 2)
            : random.chance(0.15)
              ? 1
              : 0,
        };
        Object.assign(row, this.#rewardsOn(row));
        this.#count('tech_transfer.contracts', university.code, day, 1);
        this.#count('tech_transfer.contract_value', university.code, day, value);
        return { kind, row };
      }
      case 'incubation': {
        let stage: IncubationStage = 'incubating';
        let graduated: number | null = null;
        let closed: number | null = null;
        if (age > 365) {
          const r = random.next();
          const graduateAfter = random.int(300, 1100);
          if (r < Math.min(0.6, (age / 365) * 0.2) && graduateAfter <= age) {
            stage = 'graduated';
            graduated = day + graduateAfter;
          } else if (r > 0.85) {
            stage = 'closed';
            // Most projects that fail do so in their second or third year.
            closed = day + Math.min(age, this.#dates.int(180, 1000));
          }
        }
        const funding = contractRound(random.logNormal(1_500_000, 1.1) * (stage === 'graduated' ? 3 : 1));
        const jobs = Math.round(2 + random.logNormal(8, 0.7) * (stage === 'graduated' ? 2 : 1));
        const row: NewIncubation = {
          university_code: university.code,
          ref: nextRef('INC', university.code, day),
          name: `${random.pick(BRANDS)}${random.pick(PROJECTS[field]!)}`,
          field_code: field,
          stage,
          entered_on: isoDate(day),
          graduated_on: graduated === null ? null : isoDate(graduated),
          closed_on: closed === null ? null : isoDate(closed),
          funding_cny: funding,
          jobs: stage === 'closed' ? Math.round(jobs / 3) : jobs,
          partner_university_code: random.chance(0.15) ? this.#otherUniversity(random, university) : null,
        };
        Object.assign(row, this.#companyOf(day, university.code));
        this.#count('incubation.entered', university.code, day, 1);
        this.#count('incubation.graduated', university.code, graduated, 1);
        this.#count('incubation.funding', university.code, day, funding);
        this.#count('incubation.jobs', university.code, day, row.jobs ?? 0);
        return { kind, row };
      }
      case 'talent': {
        const level = random.weighted(LEVEL_WEIGHTS);
        const [min, max, length] = COHORT[level];
        const trainees = random.int(min, max);
        const graduates = age >= length ? Math.round(trainees * random.uniform(0.85, 1)) : 0;
        // A cohort completes at the end of its course, give or take a fortnight, and never after today.
        const completed = graduates > 0 ? Math.min(day + length + this.#dates.int(0, 14), this.#end) : null;
        const row: NewTalent = {
          university_code: university.code,
          ref: nextRef('TAL', university.code, day),
          // Technology-transfer manager courses are often run for the whole alliance.
          partner_university_code:
            level === 'tech_manager' && random.chance(0.5) ? null : this.#otherUniversity(random, university),
          level,
          program: `${random.pick(PROGRAMS[level])}（${isoDate(day).slice(0, 4)}级）`,
          started_on: isoDate(day),
          completed_on: completed === null ? null : isoDate(completed),
          trainees,
          graduates,
        };
        this.#count('talent.trainees', university.code, day, trainees);
        this.#count('talent.graduates', university.code, completed, graduates);
        return { kind, row };
      }
      case 'credit': {
        const [course, courseCredits] = random.pick(COURSES);
        const students = random.int(1, 40);
        const date = isoDate(day);
        const year = Number(date.slice(0, 4));
        const month = Number(date.slice(5, 7));
        const term = month <= 3 ? `${year - 1}-${year}-1` : month <= 9 ? `${year - 1}-${year}-2` : `${year - 1}-${year}-3`;
        const credits = Math.round(students * courseCredits * 10) / 10;
        const row: NewCredit = {
          university_code: university.code,
          ref: nextRef('CR', university.code, day),
          host_university_code: this.#otherUniversity(random, university),
          course,
          term,
          recognized_on: date,
          students,
          credits,
        };
        this.#count('credits.credits', university.code, day, credits);
        this.#count('credits.students', university.code, day, students);
        return { kind, row };
      }
    }
  }
}

function roundTarget(measure: MeasureId, value: number): number {
  if (measure.endsWith('value') || measure.endsWith('received') || measure.endsWith('funding')) {
    return Math.max(10_000, Math.round(value / 10_000) * 10_000);
  }
  if (measure === 'credits.credits') return Math.max(10, Math.round(value / 10) * 10);
  return Math.max(1, Math.round(value));
}
