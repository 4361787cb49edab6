"""The demo portfolio's parameters and word pools: sizes, shares, rates, names, texts."""

from __future__ import annotations

from datetime import date

import numpy as np

from kam import vocabulary
from kam.vocabulary import CHANNELS

DEMO_END = date(2026, 11, 20)  # last date of generated events

TABLES = ("managers", "accounts", "tier_changes", "orders", "visits", "complaints", "surveys", "targets")
FORMATS = ("csv", "parquet")
SPLIT_ORDERS_FROM_SCALE = 5.0  # CSV orders go one file per year from this scale up

TIER_SHARES = (0.15, 0.30, 0.55)
CADENCE = np.array([30, 90, 180])  # maximum days between visits, per tier code 0/1/2
# Revenue level of a tier relative to A: an account's orders before an upgrade are smaller.
TIER_LEVEL = np.array([1.0, 0.5, 0.25])
NEVER = 10**9  # a day that never comes (no churn, no tier change)

REGIONS = ("华东", "华南", "华北", "西南")
# Region of the i-th manager, repeating every twelve (华东 4, 华南 3, 华北 3, 西南 2);
# the twelfth of every twelve has left the company: inactive, no accounts.
MANAGER_REGIONS = (0, 1, 2, 3, 0, 1, 2, 0, 3, 1, 2, 0)
ACCOUNTS_PER_SCALE = 300
MANAGERS_PER_SCALE = 12

SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN_NAMES = (
    "伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚",
    "秀英", "桂英", "建华", "晓东", "丽娟", "海峰", "志强", "文博", "思远", "雪梅", "国栋", "佳怡", "子涵", "浩然",
    "欣怡", "俊杰", "婷婷", "建国", "红梅", "晨阳", "宇航", "丹", "鹏", "斌", "琳", "颖", "辉", "凯", "倩", "亮",
)  # fmt: skip

CITIES = (
    ("上海", "苏州", "无锡", "常州", "南京", "杭州", "宁波", "温州", "嘉兴", "绍兴", "合肥", "南通", "青岛", "济南"),
    ("广州", "深圳", "东莞", "佛山", "中山", "珠海", "惠州", "江门", "汕头", "南宁", "柳州", "厦门", "泉州"),
    ("北京", "天津", "石家庄", "唐山", "保定", "廊坊", "太原", "沧州", "邯郸", "呼和浩特", "大同"),
    ("成都", "重庆", "绵阳", "德阳", "宜宾", "昆明", "贵阳", "遵义", "曲靖", "乐山"),
)
BRAND_FIRST = "恒华宏鑫盛永金瑞泰德力新天中东博科嘉信通安海兴隆丰汇联明正精宇长昌源凯英远达佳创"
BRAND_SECOND = "达业昌泰利源通信宏盛发成福丰瑞顺鑫兴德安和华锦辉晟智诚捷邦航"
BRANDS = tuple(a + b for a in BRAND_FIRST for b in BRAND_SECOND if a != b)
# Industry, its weight among accounts, and the words that name a company of it.
INDUSTRIES = (
    ("机械", 0.18, ("精密机械", "机械制造", "重工机械", "机电设备")),
    ("电子", 0.15, ("电子科技", "光电", "微电子", "电子元器件")),
    ("化工", 0.11, ("化工", "新材料", "精细化工", "涂料")),
    ("汽车零部件", 0.13, ("汽车零部件", "汽车配件", "车辆部件", "汽车电子")),
    ("医药", 0.07, ("医药", "生物制药", "药业", "医疗器械")),
    ("食品", 0.08, ("食品", "食品科技", "饮料", "粮油")),
    ("纺织", 0.07, ("纺织", "服饰", "印染", "化纤")),
    ("建材", 0.08, ("建材", "新型建材", "水泥制品", "玻璃")),
    ("家电", 0.06, ("电器", "家电", "智能家居", "厨房电器")),
    ("新能源", 0.07, ("新能源", "光伏科技", "储能技术", "电池")),
)
COMPANY_SUFFIXES = ("有限公司", "股份有限公司", "集团有限公司")

CHURN_REASON_WEIGHTS = (0.30, 0.15, 0.15, 0.20, 0.10, 0.10)
UPGRADE_REASONS = (
    "年采购额大幅增长，升级为重点客户",
    "采购频次提高，合作深化",
    "新签年度框架协议",
    "成长潜力大，纳入重点培育",
    "年度客户评审升级",
    "新增产品线合作",
)
DOWNGRADE_REASONS = (
    "采购额连续两个季度下降",
    "年度客户评审降级",
    "回款逾期，信用等级下调",
    "客户业务收缩",
    "部分品类转向竞争对手",
)

# Product catalogue: name and list price (元), cheapest first.
PRODUCTS = (
    ("包装材料", 6.0),
    ("工业线缆", 18.0),
    ("铝合金型材", 24.0),
    ("精密轴承 6205", 45.0),
    ("工业胶粘剂", 85.0),
    ("密封件套装", 120.0),
    ("滤芯组件", 150.0),
    ("气动元件", 210.0),
    ("环氧树脂涂料", 260.0),
    ("不锈钢管材 DN50", 320.0),
    ("工业传感器", 680.0),
    ("数控刀具套装", 950.0),
    ("变频器 2.2kW", 1900.0),
    ("备件包", 2200.0),
    ("伺服电机 750W", 2600.0),
    ("PLC控制器 S7-200", 3800.0),
    ("液压阀组", 5200.0),
    ("齿轮减速机", 7400.0),
    ("技术服务", 12000.0),
    ("电气控制柜", 28000.0),
    ("检测仪器", 36000.0),
    ("冷却系统", 64000.0),
    ("工业机器人", 185000.0),
    ("自动化生产线改造", 480000.0),
)
# Month weights of order intake (January .. December): the spring festival dip, year-end peak.
MONTH_WEIGHTS = np.array([0.9, 0.6, 1.05, 1.0, 1.0, 1.1, 0.95, 0.95, 1.05, 0.9, 1.05, 1.2])
WEEKDAY_WEIGHTS = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.1])  # Monday .. Sunday
YEARLY_GROWTH = 0.02
ORDERS_PER_YEAR = np.array([110.0, 44.0, 15.5])  # per account, by current tier

CHANNEL_WEIGHTS = np.array(
    [
        [0.50, 0.25, 0.10, 0.10, 0.05],  # A
        [0.42, 0.30, 0.08, 0.13, 0.07],  # B
        [0.32, 0.35, 0.06, 0.17, 0.10],  # C
    ]
)
VISIT_GAP_FACTOR = 0.58  # mean gap between visits, as a share of the cadence, for a diligent (1.0) manager
FOLLOW_UP_STEPS = tuple(step.stored for step in vocabulary.FOLLOW_UP_STEPS)
STEP_WEIGHTS = (0.22, 0.22, 0.14, 0.16, 0.12, 0.14)
# The channel each step uses first (step 5 is by phone or in person, see _visits).
STEP_CHANNELS = np.array([CHANNELS.index(step.channels[0]) for step in vocabulary.FOLLOW_UP_STEPS])
VISIT_PURPOSES = (
    "季度业务回顾",
    "新产品推介",
    "年度合同谈判",
    "技术交流",
    "回款沟通",
    "质量问题跟进",
    "投诉处理回访",
    "需求调研",
    "节日问候",
    "价格协商",
    "样品确认",
    "交货计划确认",
)
VISIT_NOTES = (
    "客户对近期交货表示满意",
    "客户反映价格偏高，需要公司给予报价支持",
    "了解到客户明年有扩产计划",
    "客户提出技术改进需求",
    "对接了新的采购负责人",
    "已与客户确认回款计划",
    "客户关注竞品动态，需加强跟进",
    "双方讨论了年度框架协议条款",
    "客户希望缩短交货周期",
    "拜会了客户总经理，双方关系良好",
)
NEXT_STEPS = (
    "发送报价单",
    "安排技术人员上门",
    "跟进回款进度",
    "准备年度合作方案",
    "邀请客户来厂参观",
    "寄送样品",
    "安排高层拜访",
    "提交质量整改报告",
)

COMPLAINT_CATEGORIES = ("产品质量", "交货延误", "服务态度", "价格争议", "技术支持")
COMPLAINT_CATEGORY_WEIGHTS = (0.35, 0.25, 0.15, 0.10, 0.15)
SEVERITY_WEIGHTS = (0.30, 0.50, 0.20)
COMPLAINTS_PER_YEAR = np.array([3.7, 1.85, 0.97])  # per account, by current tier, before the account's own factor
HOUR_WEIGHTS = np.array([0, 0, 0, 0, 0, 0, 1, 2, 6, 9, 10, 9, 5, 7, 9, 9, 8, 6, 4, 3, 2, 1, 1, 0], dtype=float)
SLA_SECONDS = 24 * 3600

SURVEY_COMMENTS = (
    ("质量问题反复出现，很失望", "投诉处理太慢，迟迟没有结果", "交货经常延误", "技术支持不到位"),  # score 1-2
    ("价格偏高，希望能有优惠", "希望缩短交货周期", "服务还有提升空间", "希望提供更多技术培训"),  # score 3
    ("产品质量稳定", "服务响应及时", "交货准时，很满意", "客户经理很专业", "合作愉快，期待长期合作"),  # score 4-5
)
