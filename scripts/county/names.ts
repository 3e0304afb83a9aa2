// Plausible Chinese personal names for grid leads and crews (sample data).
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲梅鹏飞建国建华志强海燕晓东春梅丽娟文博子涵浩然雪梅国庆永刚立新';

export function personName(random: () => number): string {
  const surname = SURNAMES[Math.floor(random() * SURNAMES.length)]!;
  const len = random() < 0.6 ? 2 : 1;
  let given = '';
  for (let i = 0; i < len; i++) given += GIVEN[Math.floor(random() * GIVEN.length)]!;
  return surname + given;
}
