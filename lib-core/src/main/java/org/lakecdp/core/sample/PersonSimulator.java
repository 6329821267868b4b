package org.lakecdp.core.sample;

import java.util.SplittableRandom;

/** Runs the whole history of one person and hands their records, in time order, to a shard. */
final class PersonSimulator {
  private static final int STREAM_EVENTS = 100;

  private final World world;
  private final long seed;

  PersonSimulator(World world, long seed) {
    this.world = world;
    this.seed = seed;
  }

  void simulate(Person person, ShardOutput out) {
    SplittableRandom rng = new SplittableRandom(Ids.personSeed(seed, person.index(),
        STREAM_EVENTS));
    Life life = new Life(person, rng, world);
    Browsing browsing = new Browsing(life);
    new Crm(life).rows();
    new Marketing(life).consentsAndEmail();
    new Commerce(life, browsing).purchases();
    browsing.browse();
    life.emitTo(out);
    browsing.writeTruth(out);
  }
}
