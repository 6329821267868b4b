package org.lakecdp.core.sample;

import java.util.SplittableRandom;

/** What one purchase holds. Prices are in pence. */
record Basket(Item[] items) {

  /** One line of a basket. */
  record Item(int category, int sku, int qty, long pricePence) {
    String skuCode() {
      return skuCode(category, sku);
    }

    String categoryName() {
      return Vocabulary.CATEGORIES[category];
    }

    static String skuCode(int category, int sku) {
      return "SKU" + Ids.pad(category * 1000L + sku, 5);
    }
  }

  long totalPence() {
    long total = 0;
    for (Item item : items) {
      total += item.qty() * item.pricePence();
    }
    return total;
  }

  /** Category of the first, main item. */
  String mainCategory() {
    return items[0].categoryName();
  }

  /** A basket of 1-5 items, mostly from the person's preferred categories. */
  static Basket draw(SplittableRandom rng, Person person) {
    int n = Math.min(5, 1 + Rand.poisson(rng, 0.5));
    Item[] items = new Item[n];
    for (int i = 0; i < n; i++) {
      int category = randomCategory(rng, person);
      double r = rng.nextDouble();
      int qty = r < 0.85 ? 1 : r < 0.97 ? 2 : 3;
      double scale = Math.exp(person.orderValueMu() - Math.log(30) + 0.35 * rng.nextGaussian());
      long pounds = Math.max(1,
          Math.round(Vocabulary.CATEGORY_PRICE_PENCE[category] * scale / 100));
      items[i] = new Item(category, rng.nextInt(300), qty, pounds * 100 - 1);
    }
    return new Basket(items);
  }

  /** A category the person would look at: preferred three times in four. */
  static int randomCategory(SplittableRandom rng, Person person) {
    int[] preferred = person.categories();
    return Rand.chance(rng, 0.75) ? preferred[rng.nextInt(preferred.length)]
        : rng.nextInt(Vocabulary.CATEGORIES.length);
  }
}
