import { foldsWithoutLoss, toWinAnsi } from './win-ansi';

describe('toWinAnsi', () => {
  it.each([
    ['Northwind Home', 'Northwind Home'],
    ['María-José Ørsted, Straße, Ångström', 'María-José Ørsted, Straße, Ångström'],
    ['“quoted” – dash — €5 £3 ¥7 ™', '“quoted” – dash — €5 £3 ¥7 ™'],
    ['Łukasz Wróbel', 'Lukasz Wróbel'],
    ['Nguyễn Thị Minh Khai', 'Nguyen Thi Minh Khai'],
    ['İstanbul, Gdańsk', 'Istanbul, Gdansk'],
    ['e\u0301', 'é'],
    ['ﬁne', 'fine'],
    ['1\u202f234,56\u00a0€', '1 234,56\u00a0€'],
    ['￥1,999', '¥1,999'],
    ['東京 ₹', '?? ?'],
    ['a\u0000b\u0007c', 'abc'],
  ])('%j → %j', (input, output) => {
    expect(toWinAnsi(input)).toBe(output);
  });
});

describe('foldsWithoutLoss', () => {
  it('is true when every character survives, perhaps as a stand-in', () => {
    expect(foldsWithoutLoss('1\u202f234,56 €')).toBe(true);
    expect(foldsWithoutLoss('Why? Because.')).toBe(true);
    expect(foldsWithoutLoss('₹1,234.56')).toBe(false);
  });
});
