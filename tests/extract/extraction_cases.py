"""Table-driven extraction cases: (text, expected relations), written for kg's tests, in both languages.

Each expected relation is (subject key, relation, object key); keys are gazetteer keys or, for names the
gazetteer does not know, the name as written. The extracted relation set must equal the expected set:
an empty set means the sentence asserts nothing (negation, plans, co-occurrence, a country).
"""

ZH = [
    # investsIn, both directions and several constructions
    ("微软对OpenAI进行了数十亿美元的投资。", {("Microsoft", "investsIn", "OpenAI")}),
    ("亚马逊向Anthropic追加了40亿美元投资。", {("Amazon", "investsIn", "Anthropic")}),
    ("Anthropic获得了谷歌的20亿美元投资。", {("Google", "investsIn", "Anthropic")}),
    ("阿里巴巴和腾讯参与投资了智谱AI。", {("Alibaba", "investsIn", "Zhipu AI"), ("Tencent", "investsIn", "Zhipu AI")}),
    ("软银领投了这家公司的新一轮融资,OpenAI 完成了由软银领投的融资。", {("SoftBank Group", "investsIn", "OpenAI")}),
    ("英伟达入股了xAI。", {("Nvidia", "investsIn", "xAI")}),
    # negation, plans, sales, countries: nothing
    ("苹果并未投资OpenAI。", set()),
    ("微软否认投资Mistral AI。", set()),
    ("据传亚马逊计划投资Anthropic。", set()),
    ("软银出售了其持有的英伟达股份,此前软银曾投资英伟达。", {("SoftBank Group", "investsIn", "Nvidia")}),
    ("字节跳动计划在马来西亚投资数据中心。", set()),
    ("微软和谷歌都在上海举办了开发者大会。", set()),
    # competesWith
    ("谷歌与OpenAI在搜索领域展开激烈竞争。", {("Google", "competesWith", "OpenAI")}),
    ("百度的竞争对手包括阿里巴巴。", {("Baidu", "competesWith", "Alibaba")}),
    ("Anthropic 推出的 Claude 对 ChatGPT 形成了挑战。", {("Anthropic", "develops", "Claude"), ("Claude", "competesWith", "ChatGPT")}),
    ("京东与拼多多等竞争对手一道降价。", {("JD.com", "competesWith", "PDD Holdings")}),
    # before a symmetric verb 与 marks the partner: a possessive's list stops there; without one it coordinates
    ("百度的文心一言与ChatGPT在搜索上展开竞争。", {("Baidu", "develops", "ERNIE Bot"), ("ChatGPT", "competesWith", "ERNIE Bot")}),
    ("字节跳动的豆包和抖音都很受欢迎。", {("ByteDance", "develops", "Doubao"), ("ByteDance", "develops", "Douyin")}),
    # a name introduced by a naming verb; a company's short name that is an ordinary word too
    ("腾讯收购了一家叫做星图互动的游戏公司。", {("Tencent", "acquires", "星图互动")}),
    ("联想以29亿美元买下了摩托罗拉。", {("Lenovo", "acquires", "Motorola")}),
    ("这款手机让人联想到摩托罗拉当年的设计。", set()),
    # a clause opening with the verb and closed by 的 describes its head: the head did it (no possessive)
    ("投资了OpenAI的微软今天发布财报。", {("Microsoft", "investsIn", "OpenAI")}),
    ("收购了摩托罗拉的联想继续扩张。", {("Lenovo", "acquires", "Motorola")}),
    ("创办小米的雷军表示公司将继续投入研发。", {("Lei Jun", "founded", "Xiaomi")}),
    ("他们收购了微软的GitHub。", {("Microsoft", "owns", "GitHub")}),
    ("向Anthropic追加投资40亿美元的亚马逊表示满意。", {("Amazon", "investsIn", "Anthropic")}),
    ("为苹果代工芯片的台积电上调了全年预期。", {("TSMC", "suppliesTo", "Apple")}),
    # 由 names the agent and 为/向 the object, with no subject before them
    ("这些芯片由台积电为英伟达代工。", {("TSMC", "suppliesTo", "Nvidia")}),
    ("这批电池由宁德时代向特斯拉供应。", {("CATL", "suppliesTo", "Tesla")}),
    # a company sold: the buyer acquires what 将/把 or 被 marks; goods sold are no acquisition
    ("阿里巴巴以11亿美元的价格将高鑫零售出售给德弘资本。", {("DCP Capital", "acquires", "Sun Art Retail")}),
    ("腾讯出售给京东一批服务器。", set()),
    # 从 marks a purchase's source, and a giver before a word of receiving
    ("蔚来从宁德时代采购了一批电池。", {("CATL", "suppliesTo", "NIO")}),
    ("墨羽科技从红杉中国获得了2亿元投资。", {("HongShan", "investsIn", "墨羽科技")}),
    ("小米从北京迁往武汉。", set()),
    # a company that opens the clause with no suffix, read by its place before the verb or its first mark
    ("曜石智联高度依赖英伟达的芯片。", {("曜石智联", "dependsOn", "Nvidia")}),
    ("曜石智联与腾讯达成战略合作。", {("曜石智联", "partnersWith", "Tencent")}),
    ("很多人依赖微信。", set()),
    ("业绩增长高度依赖英伟达。", set()),
    # a word and a model code name a product; B 是 A 开发的 N
    ("澄川科技发布了新一代激光雷达产品星图X3。", {("澄川科技", "develops", "星图X3")}),
    ("通义千问是阿里巴巴开发的大模型。", {("Alibaba", "develops", "Qwen")}),
    # co-development is a partnership of the named pair; what they make is no partner
    ("华为与比亚迪共同研发了新一代电池。", {("Huawei", "partnersWith", "BYD")}),
    ("腾讯将凌波光电收入囊中。", {("Tencent", "acquires", "凌波光电")}),
    ("凌波光电隶属于腾讯。", {("Tencent", "owns", "凌波光电")}),
    ("陈晓东此前在华为担任副总裁。", {("陈晓东", "worksFor", "Huawei")}),
    # the means a subject acts through is no name of its own, and what its verb takes is not owned
    ("腾讯通过旗下基金入股凌波光电。", {("Tencent", "investsIn", "凌波光电")}),
    ("凌波光电与华为、小米同台竞技。", {("凌波光电", "competesWith", "Huawei"), ("凌波光电", "competesWith", "Xiaomi")}),
    # a company with no suffix in more slots: after 向 (jieba joined 向 to it), before 获/被/由, before 是,
    # before 进行 and an amount
    ("红杉中国向曜石智联投资了2亿元。", {("HongShan", "investsIn", "曜石智联")}),
    ("曜石智联获红杉中国2亿元投资。", {("HongShan", "investsIn", "曜石智联")}),
    ("曜石智联被腾讯以5亿元收购。", {("Tencent", "acquires", "曜石智联")}),
    ("曜石智联由李明创立。", {("李明", "founded", "曜石智联")}),
    ("曜石智联是腾讯的芯片供应商。", {("曜石智联", "suppliesTo", "Tencent")}),
    ("红杉中国对曜石智联进行了战略投资。", {("HongShan", "investsIn", "曜石智联")}),
    ("红杉中国领投曜石智联2亿元A轮融资。", {("HongShan", "investsIn", "曜石智联")}),
    ("腾讯向凌波光电注资5亿元，持股数量约为5000万股。", {("Tencent", "investsIn", "凌波光电")}),
    # two names no recognizer knows, both read by their place, in a short sentence
    ("曜石智联收购了星途智驾。", {("曜石智联", "acquires", "星途智驾")}),
    # dependsOn
    ("OpenAI 高度依赖微软的算力。", {("OpenAI", "dependsOn", "Microsoft")}),
    ("Anthropic 将其模型部署到亚马逊的AWS上。", {("Anthropic", "dependsOn", "Amazon Web Services"), ("Amazon", "owns", "Amazon Web Services")}),
    ("小米离不开高通的芯片。", {("Xiaomi", "dependsOn", "Qualcomm")}),
    # partnersWith
    ("苹果与OpenAI达成合作协议。", {("Apple", "partnersWith", "OpenAI")}),
    ("三星和谷歌携手开发新的手机系统。", {("Samsung Electronics", "partnersWith", "Google")}),
    ("微软与英伟达建立合作关系后,双方共同推出了新的服务。", {("Microsoft", "partnersWith", "Nvidia")}),
    # owns
    ("谷歌旗下的DeepMind发布了新模型。", {("Google", "owns", "Google DeepMind")}),
    ("抖音是字节跳动旗下的短视频平台。", {("ByteDance", "owns", "Douyin")}),
    ("阿里巴巴的阿里云增长迅速。", {("Alibaba", "owns", "Alibaba Cloud")}),
    # develops
    ("OpenAI 发布了 GPT-4o。", {("OpenAI", "develops", "GPT-4o")}),
    ("月之暗面推出了Kimi。", {("Moonshot AI", "develops", "Kimi")}),
    ("英伟达H20 是一款面向中国市场的芯片。", {("Nvidia", "develops", "H20")}),
    ("通义千问由阿里巴巴开发。", {("Alibaba", "develops", "Qwen")}),
    # acquires
    ("微软收购了领英。", {("Microsoft", "acquires", "LinkedIn")}),
    ("GitHub 被微软收购。", {("Microsoft", "acquires", "GitHub")}),
    ("谷歌否认收购HubSpot。", set()),
    # worksFor and founded
    ("微软CEO萨提亚·纳德拉表示,公司将继续投资AI。", {("Satya Nadella", "worksFor", "Microsoft")}),
    ("英伟达首席执行官黄仁勋访问了台湾。", {("Jensen Huang", "worksFor", "Nvidia")}),
    ("字节跳动创始人张一鸣很少公开露面。", {("Zhang Yiming", "founded", "ByteDance")}),
    ("雷军创办了小米。", {("Lei Jun", "founded", "Xiaomi")}),
    ("星海智能联合创始人周明远表示,公司将扩大团队。", {("周明远", "founded", "星海智能")}),
    # suppliesTo
    ("台积电为苹果代工芯片。", {("TSMC", "suppliesTo", "Apple")}),
    ("字节跳动已成为英伟达在中国的最大客户。", {("Nvidia", "suppliesTo", "ByteDance")}),
    ("英伟达向微软供应了大量GPU。", {("Nvidia", "suppliesTo", "Microsoft")}),
    # more constructions: titles with modifiers, adverbs before the verb, descriptions that name nothing
    ("华为轮值董事长徐直军表示,公司将继续加大研发投入。", {("徐直军", "worksFor", "Huawei")}),
    ("红杉中国和高瓴资本此前均投资了智谱AI。", {("HongShan", "investsIn", "Zhipu AI"), ("Hillhouse", "investsIn", "Zhipu AI")}),
    ("小米集团宣布收购一家汽车零部件公司。", set()),
    ("Anthropic 的模型训练依赖亚马逊的 Trainium 芯片。", {("Anthropic", "dependsOn", "Trainium"), ("Amazon", "develops", "Trainium")}),
    ("投资人亚历克斯·罗森表示看好AI市场。罗森随后加入了红杉中国。", {("亚历克斯·罗森", "worksFor", "HongShan")}),
    ("昇腾芯片的主要客户包括百度。", {("Ascend", "suppliesTo", "Baidu")}),
    # co-occurrence without a relation
    ("微软、谷歌和亚马逊的股价今天均上涨。", set()),
    ("分析师认为腾讯和百度今年的营收都会增长。", set()),
    # industry words that end company names (乳业, 食品, 数据, 保险, 重工, 国际 ...)
    ("北岭乳业收购了南溪食品。", {("北岭乳业", "acquires", "南溪食品")}),
    ("澜图科技宣布完成对北极光数据的收购。", {("澜图科技", "acquires", "北极光数据")}),
    ("青禾医疗是澄川保险的子公司。", {("澄川保险", "owns", "青禾医疗")}),
    ("北岭重工向远帆国际供应起重设备。", {("北岭重工", "suppliesTo", "远帆国际")}),
    # holding shares is a stake; transferring them away is a sale, no stake
    ("北岭资本持有澄川智能15%的股份。", {("北岭资本", "investsIn", "澄川智能")}),
    ("北岭资本已转让其所持有的全部澄川智能股份。", set()),
    ("赵一鸣加盟澄川智能,出任首席技术官。", {("赵一鸣", "worksFor", "澄川智能")}),
    # a name without a suffix is taken where the frame predicts one and the phrase ends; a modified noun is none
    ("陈立新于2018年创立了数智云图。", {("陈立新", "founded", "数智云图")}),
    ("澄川资本投资了卡奥斯。", {("澄川资本", "investsIn", "卡奥斯")}),
    ("陈立新创立了新品牌。", set()),
    # a three-character name is a person even when jieba's dictionary counts it often (a famous namesake)
    ("王晓东现任澄川智能首席执行官。", {("王晓东", "worksFor", "澄川智能")}),
    # relation verbs never run into a name; a role noun may carry its modifier
    ("澄川智能并入北岭集团。", {("北岭集团", "acquires", "澄川智能")}),
    ("北岭集团宣布以12亿元收购游戏开发商澄川互娱。", {("北岭集团", "acquires", "澄川互娱")}),
    # a descriptor between the preposition and the name it marks
    ("阿里巴巴向自动驾驶公司驭途科技追加投资2亿美元。", {("Alibaba", "investsIn", "驭途科技")}),
    ("北岭资本对芯片企业澄川智能进行投资。", {("北岭资本", "investsIn", "澄川智能")}),
    ("北岭科技是澄川智能的独家供应商。", {("北岭科技", "suppliesTo", "澄川智能")}),
    ("澄川智能采购了北岭科技的传感器。", {("北岭科技", "suppliesTo", "澄川智能")}),
    ("腾讯购买了澄川智能的股份。", set()),
]

EN = [
    # investsIn
    ("Microsoft invested $10 billion in OpenAI in 2023.", {("Microsoft", "investsIn", "OpenAI")}),
    ("Amazon has invested $4 billion into Anthropic.", {("Amazon", "investsIn", "Anthropic")}),
    ("Anthropic raised $2 billion from Google last year.", {("Google", "investsIn", "Anthropic")}),
    ("Mistral AI, backed by Microsoft, released a new model.", {("Microsoft", "investsIn", "Mistral AI")}),
    ("The Microsoft-backed OpenAI launched a search tool.", {("Microsoft", "investsIn", "OpenAI")}),
    ("Nvidia and AMD invested in xAI.", {("Nvidia", "investsIn", "xAI"), ("AMD", "investsIn", "xAI")}),
    ("SoftBank led OpenAI's latest funding round.", {("SoftBank Group", "investsIn", "OpenAI")}),
    # negation, plans, sales, countries
    ("Apple did not invest in OpenAI.", set()),
    ("Meta denied that it invested in Mistral AI.", set()),
    ("Amazon plans to invest in Anthropic next year.", set()),
    ("Microsoft could invest in Inflection AI.", set()),
    ("SoftBank sold its stake in Nvidia.", set()),
    ("Microsoft will invest $3 billion in Japan.", set()),
    ("Google and Amazon reported earnings on Tuesday.", set()),
    # competesWith
    ("Google competes with OpenAI in search.", {("Google", "competesWith", "OpenAI")}),
    ("xAI positions itself as a serious rival to OpenAI.", {("xAI", "competesWith", "OpenAI")}),
    ("OpenAI rival Anthropic unveiled Claude 3.", {("OpenAI", "competesWith", "Anthropic"), ("Anthropic", "develops", "Claude")}),
    ("AMD is a challenger to Nvidia in AI chips.", {("AMD", "competesWith", "Nvidia")}),
    # dependsOn
    ("OpenAI relies on Microsoft for computing power.", {("OpenAI", "dependsOn", "Microsoft")}),
    ("Anthropic depends heavily on Amazon Web Services.", {("Anthropic", "dependsOn", "Amazon Web Services")}),
    ("Apple is dependent on TSMC for its chips.", {("Apple", "dependsOn", "TSMC")}),
    # partnersWith
    ("Apple partnered with OpenAI to bring ChatGPT to iPhone.", {("Apple", "partnersWith", "OpenAI")}),
    ("Samsung teamed up with Google on a new headset.", {("Samsung Electronics", "partnersWith", "Google")}),
    ("The partnership between Microsoft and Nvidia covers data centers.", {("Microsoft", "partnersWith", "Nvidia")}),
    # owns
    ("Amazon's cloud unit AWS reported strong growth.", {("Amazon", "owns", "Amazon Web Services")}),
    ("DeepMind, a unit of Google, published a paper.", {("Google", "owns", "Google DeepMind")}),
    ("Microsoft's Azure grew 30 percent.", {("Microsoft", "owns", "Microsoft Azure")}),
    # develops
    # an unknown name a launch verb takes is a product ("launched in Europe" takes none)
    ("Quorvex launched Lumina 4.0 on Tuesday.", {("Quorvex", "develops", "Lumina")}),
    ("Verolux unveiled its new Aster robot on Monday.", {("Verolux", "develops", "Aster")}),
    ("Quorvex launched in Europe last year.", set()),
    ("OpenAI launched GPT-4o in May.", {("OpenAI", "develops", "GPT-4o")}),
    ("Google unveiled Gemini last December.", {("Google", "develops", "Gemini")}),
    ("Llama was developed by Meta.", {("Meta", "develops", "Llama")}),
    ("The company said Nvidia's Blackwell chips are sold out.", {("Nvidia", "develops", "Blackwell")}),
    # acquires
    ("Microsoft acquired LinkedIn in 2016.", {("Microsoft", "acquires", "LinkedIn")}),
    ("GitHub was bought by Microsoft in 2018.", {("Microsoft", "acquires", "GitHub")}),
    ("Google denied it would buy HubSpot.", set()),
    # worksFor and founded
    ("Microsoft CEO Satya Nadella spoke at the event.", {("Satya Nadella", "worksFor", "Microsoft")}),
    ("Jensen Huang, chief executive of Nvidia, said demand is strong.", {("Jensen Huang", "worksFor", "Nvidia")}),
    ("Anthropic co-founder Dario Amodei wrote an essay.", {("Dario Amodei", "founded", "Anthropic")}),
    ("Elon Musk founded xAI in 2023.", {("Elon Musk", "founded", "xAI")}),
    ("Priya Dunmore, an analyst at Morgan Stanley, expects growth.", {("Priya Dunmore", "worksFor", "Morgan Stanley")}),
    # suppliesTo
    ("TSMC supplies chips to Apple.", {("TSMC", "suppliesTo", "Apple")}),
    ("Google Cloud will become Anthropic's preferred cloud provider.", {("Google Cloud", "suppliesTo", "Anthropic")}),
    ("ByteDance is the biggest customer of Nvidia in China.", {("Nvidia", "suppliesTo", "ByteDance")}),
    # "its" and "the company" across sentences; a round's lead and participants
    (("Nvidia reported record revenue as Microsoft and Google kept buying its Blackwell chips. "
      "The company faces growing competition from AMD."),
     {("Nvidia", "develops", "Blackwell"), ("AMD", "competesWith", "Nvidia")}),
    ("Mistral AI raised €600 million in a round led by General Catalyst, with participation from Lightspeed.",
     {("General Catalyst", "investsIn", "Mistral AI"), ("Lightspeed Venture Partners", "investsIn", "Mistral AI")}),
    ("Chief Financial Officer Colette Kress said supply would remain tight.", set()),
    ("Google's Gemini competes with OpenAI's ChatGPT.",
     {("Google", "develops", "Gemini"), ("OpenAI", "develops", "ChatGPT"), ("Gemini", "competesWith", "ChatGPT")}),
    # co-occurrence
    ("Shares of Microsoft, Alphabet and Amazon rose on Monday.", set()),
    # a made-up one-word name opening the sentence is the subject of the relation verb after it; a generic
    # plural there is nobody
    ("Tarnwell raised $45 million in a round led by Redwood Ventures.", {("Redwood Ventures", "investsIn", "Tarnwell")}),
    ("Tarnwell has quietly acquired Brindle Labs.", {("Tarnwell", "acquires", "Brindle Labs")}),
    ("Quellix supplies lidar sensors to Ford.", {("Quellix", "suppliesTo", "Ford")}),
    ("Investors poured $2 billion into Tarnwell Labs.", set()),
    ("Shares of Tarnwell rose after Ford backed it.", set()),
    # given names from many languages start a person's name
    ("Kofi Mensah-Arde joined Tarnwell Robotics in 2021.", {("Kofi Mensah-Arde", "worksFor", "Tarnwell Robotics")}),
    ("Ananya Rao worked at Google.", {("Ananya Rao", "worksFor", "Google")}),
    # what speaks of itself as "it" is an organization; industry words end company names
    ("Morrow Outfitters said it had raised $12 million from Corrib Ventures.", {("Corrib Ventures", "investsIn", "Morrow Outfitters")}),
    ("Tarnwell Foods acquired Quellix Diagnostics.", {("Tarnwell Foods", "acquires", "Quellix Diagnostics")}),
    # one of several holders of a role: "one of", "among"
    ("Brindle Labs is one of Nvidia's biggest customers.", {("Nvidia", "suppliesTo", "Brindle Labs")}),
    ("Corrib Ventures is one of the largest investors in Brindle Labs.", {("Corrib Ventures", "investsIn", "Brindle Labs")}),
    # a post given is a post held; an order received is no investment
    ("Maya Tarrant was named chief executive of Quellix Systems.", {("Maya Tarrant", "worksFor", "Quellix Systems")}),
    ("Brindle Labs received an order from Ford.", set()),
    # the object of a relative clause is the name the clause describes
    ("Quellix Systems, which Tarnwell Labs acquired last year, makes lidar.", {("Tarnwell Labs", "acquires", "Quellix Systems")}),
    ("Brindle Labs, which Corrib Capital backed in 2020, makes lidar.", {("Corrib Capital", "investsIn", "Brindle Labs")}),
    ("Quellix Systems, which makes lidar, acquired Brindle Labs.", {("Quellix Systems", "acquires", "Brindle Labs")}),
    ("Brindle Labs counts Ford and Harrowgate Motors among its customers.",
     {("Brindle Labs", "suppliesTo", "Ford"), ("Brindle Labs", "suppliesTo", "Harrowgate Motors")}),
    # a company sold is acquired by the buyer; goods sold or bought are a supply, in either direction
    ("Corrib Capital sold Quellix Systems to Tarnwell Labs in 2022.", {("Tarnwell Labs", "acquires", "Quellix Systems")}),
    ("Quellix Systems was sold to Tarnwell Labs for $300 million.", {("Tarnwell Labs", "acquires", "Quellix Systems")}),
    ("Quellix Systems sold its lidar sensors to Ford.", {("Quellix Systems", "suppliesTo", "Ford")}),
    ("Ford buys lidar sensors from Quellix Systems.", {("Quellix Systems", "suppliesTo", "Ford")}),
    ("Ford bought Quellix Systems from Corrib Capital.", {("Ford", "acquires", "Quellix Systems")}),
    ("Brindle Labs got $40 million from Corrib Ventures.", set()),
    ("SoftBank sold its stake in Brindle Labs to Tencent.", set()),
    # a passive of a launch verb names a product; a place after a relation noun is where, not with whom
    ("Lumina was developed by Quellix Systems.", {("Quellix Systems", "develops", "Lumina")}),
    ("Tarnwell Labs and Brindle Labs formed a joint venture in Shanghai.", {("Brindle Labs", "partnersWith", "Tarnwell Labs")}),
    ("Corrib Ventures holds a stake in Berlin-based Brindle Labs.", {("Corrib Ventures", "investsIn", "Brindle Labs")}),
    # an unknown word opening a sentence is a name when a verb governing a relation noun follows it
    ("Quellix signed a partnership agreement with Brindle Labs.", {("Quellix", "partnersWith", "Brindle Labs")}),
    ("Analysts expected a partnership with Brindle Labs.", set()),
    # a sentence opening with an unknown owner ("X's") or an unknown employer before a title and a name
    ("Quellix's backers, including Corrib Ventures, poured $300 million into the company.",
     {("Corrib Ventures", "investsIn", "Quellix")}),
    ("Quellix co-founder Maya Tarrant left the company in 2020.", {("Maya Tarrant", "founded", "Quellix")}),
    ("Today's investors include Corrib Ventures.", set()),
    # a form ending in its own preposition ("took market share from B"); more partnership verbs
    ("Tarnwell Labs took market share from Quellix Systems.", {("Quellix Systems", "competesWith", "Tarnwell Labs")}),
    ("Tarnwell Labs works closely with Quellix Systems on lidar.", {("Quellix Systems", "partnersWith", "Tarnwell Labs")}),
    # money paid for a company buys it; a deal "for" a company is no partnership with it
    ("Tarnwell Labs paid $300 million for Quellix Systems.", {("Tarnwell Labs", "acquires", "Quellix Systems")}),
    ("Tarnwell Labs paid Quellix Systems for its sensors.", set()),
    ("Tarnwell Labs' $300 million deal for Quellix Systems closed in May.", set()),
    # a participle with its agent is a verb after a noun phrase; an unknown name before ", a X-backed startup"
    ("Quellix, the lidar company founded by Maya Tarrant, hired 50 people.", {("Maya Tarrant", "founded", "Quellix")}),
    ("Quellix, a Tencent-backed startup, said it would expand.", {("Tencent", "investsIn", "Quellix")}),
    ("Maya Tarrant has led Quellix Systems since 2014.", {("Maya Tarrant", "worksFor", "Quellix Systems")}),
    # a pair before a copula and a plural role; a thing called X is what its noun says; A's business relies on B
    ("Quellix and Brindle Labs are fierce competitors.", {("Brindle Labs", "competesWith", "Quellix")}),
    ("Tarnwell Labs is developing a new chip called Maplewise.", {("Tarnwell Labs", "develops", "Maplewise")}),
    ("Tencent invested in a startup called Quorvex.", {("Tencent", "investsIn", "Quorvex")}),
    ("Quellix's business relies heavily on Google Cloud.", {("Quellix", "dependsOn", "Google Cloud")}),
    ("Quellix entered into a strategic partnership with Brindle Labs.", {("Brindle Labs", "partnersWith", "Quellix")}),
    ("Quellix and Brindle Labs agreed to collaborate on batteries.", {("Brindle Labs", "partnersWith", "Quellix")}),
    ("Quellix overtook Brindle Labs as the largest seller of lidar.", {("Brindle Labs", "competesWith", "Quellix")}),
]
