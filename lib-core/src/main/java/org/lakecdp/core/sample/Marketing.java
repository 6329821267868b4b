package org.lakecdp.core.sample;

import java.util.SplittableRandom;

/**
 * Consent records and marketing email of one person. Registered persons grant consents at
 * signup (some withdraw later); a few guests subscribe to the newsletter through the web
 * banner. Subscribers receive part of the campaigns until they withdraw or unsubscribe; an
 * unsubscribe also writes a withdrawn {@code email_marketing} consent. Opens and clicks follow
 * sends with a lag and depend on engagement; churned persons rarely open.
 */
final class Marketing {
  private static final String[] PURPOSES = {"email_marketing", "analytics", "advertising",
      "profiling"};
  private static final double[] GRANT_RATE = {0, 0.7, 0.4, 0.3};
  private static final double WITHDRAW_RATE = 0.06;

  private final Life life;
  private final SplittableRandom rng;
  private final Person person;

  Marketing(Life life) {
    this.life = life;
    this.rng = life.rng;
    this.person = life.person;
  }

  /** Writes the consents and email events of the person. */
  void consentsAndEmail() {
    long signup = life.signupTime;
    long emailUntil = Long.MAX_VALUE;
    if (person.inCrm()) {
      String channel = person.channel() == Person.Channel.OFFLINE ? "store"
          : person.appUser() && Rand.chance(rng, 0.3) ? "app" : "web";
      String via = channel.equals("store") ? "store_form" : "crm";
      boolean withEmail = Rand.chance(rng, 0.6);
      for (int p = 0; p < PURPOSES.length; p++) {
        boolean granted = p == 0 ? person.emailSubscriber() : Rand.chance(rng, GRANT_RATE[p]);
        if (!granted) {
          continue;
        }
        long at = signup + 1000L * (p + 1);
        consent(at, withEmail ? person.email() : null, person.crmId(), PURPOSES[p], channel,
            "granted", via);
        long withdrawn = maybeWithdraw(at, PURPOSES[p]);
        if (p == 0) {
          emailUntil = withdrawn;
        }
      }
    } else if (person.emailSubscriber()) {
      long at = signup + 1000L;
      consent(at, person.email(), null, PURPOSES[0], "web", "granted", "banner");
      emailUntil = maybeWithdraw(at, PURPOSES[0]);
    }
    if (person.emailSubscriber()) {
      campaigns(signup, emailUntil);
    }
  }

  /** Now and then withdraws a purpose later on; returns when, or {@code Long.MAX_VALUE}. */
  private long maybeWithdraw(long granted, String purpose) {
    int from = Math.max(0, life.calendar.dayOf(granted) + 1);
    if (from >= life.world.days() || !Rand.chance(rng, WITHDRAW_RATE)) {
      return Long.MAX_VALUE;
    }
    long at = life.world.onlineInstant(rng, from + rng.nextInt(life.world.days() - from));
    boolean app = person.appUser() && Rand.chance(rng, 0.3);
    consent(at, person.inCrm() && Rand.chance(rng, 0.5) ? null : person.email(), person.crmId(),
        purpose, app ? "app" : "web", "withdrawn", person.inCrm() ? "crm" : "banner");
    return at;
  }

  private void campaigns(long subscribed, long until) {
    double receive = 0.1 + 0.1 * person.engagement();
    for (World.Campaign c : life.world.campaigns()) {
      long sent = life.calendar.instant(c.day(), c.sendMsOfDay()) + rng.nextInt(1_800_000);
      if (sent <= subscribed) {
        continue;
      }
      if (sent >= until) {
        return;
      }
      if (!Rand.chance(rng, receive)) {
        continue;
      }
      email(sent, c.id(), "send");
      if (Rand.chance(rng, 0.004)) {
        email(sent + 60_000L + rng.nextInt(600_000), c.id(), "bounce");
        continue;
      }
      boolean churned = person.churned(c.day());
      if (!Rand.chance(rng, person.engagement() * (churned ? 0.1 : 1.0))) {
        if (Rand.chance(rng, churned ? 0.01 : 0.002)) {
          until = unsubscribe(sent + (long) Rand.exponential(rng, 86_400_000), c.id());
        }
        continue;
      }
      long opened = sent + 30_000L + (long) Rand.exponential(rng, 6 * 3_600_000.0);
      email(opened, c.id(), "open");
      if (Rand.chance(rng, 0.3)) {
        email(opened + 5_000L + (long) Rand.exponential(rng, 120_000), c.id(), "click");
      }
      if (Rand.chance(rng, churned ? 0.03 : 0.008)) {
        until = unsubscribe(opened + 20_000L + rng.nextInt(120_000), c.id());
      }
    }
  }

  private long unsubscribe(long at, String campaignId) {
    email(at, campaignId, "unsubscribe");
    consent(at + 2_000L, person.email(), null, PURPOSES[0], "email", "withdrawn",
        "unsubscribe_link");
    return at;
  }

  private void email(long t, String campaignId, String type) {
    StringBuilder sb = life.line().append('{');
    String id = "e-" + life.nextToken(Ids.EMAIL);
    Text.jsonString(sb, "event_id", id);
    Text.jsonKey(sb, "ts").append('"');
    life.calendar.appendIsoSeconds(sb, t);
    sb.append('"');
    Text.jsonString(sb, "email", person.email());
    Text.jsonString(sb, "campaign_id", campaignId);
    Text.jsonString(sb, "type", type);
    life.add(t, Source.EMAIL, sb.append('}').toString(), id);
  }

  private void consent(long t, String email, String customerId, String purpose, String channel,
      String status, String via) {
    StringBuilder sb = life.line().append('{');
    String id = "cs-" + life.nextToken(Ids.CONSENT);
    Text.jsonString(sb, "id", id);
    Text.jsonKey(sb, "ts").append('"');
    life.calendar.appendIsoSeconds(sb, t);
    sb.append('"');
    if (email != null) {
      Text.jsonString(sb, "email", email);
    }
    if (customerId != null) {
      Text.jsonString(sb, "customer_id", customerId);
    }
    Text.jsonString(sb, "purpose", purpose);
    Text.jsonString(sb, "channel", channel);
    Text.jsonString(sb, "status", status);
    Text.jsonString(sb, "collected_via", via);
    life.add(t, Source.CONSENT, sb.append('}').toString(), id);
  }
}
