package org.lakecdp.core.sample;

import org.lakecdp.core.config.SampleSettings;

/** The README written beside the ground truth. */
final class TruthReadme {
  private TruthReadme() {}

  static String text(SampleSettings s) {
    return """
        Ground truth of the sample data (seed %d, %d persons, %d days ending %s).
        The CDP pipeline must never read this folder; it is for evaluating identity resolution,
        data quality handling and profiles.

        persons.csv    one row per real person: clean identity (person_id, name, main email,
                       mobile in national form, date of birth, gender, home address, crm_id of
                       the first registration, loyalty card) and the behaviour behind the data
                       (signup_date, churn_date or empty, purchases_per_year while active,
                       preferred_categories separated by |).
        records.csv    source,record_key,person_id for every record of crm (crm_id; a person
                       with a duplicate registration has two), orders (order_id), pos (txn_id),
                       support (ticket_id), consent (id) and email (event_id). Each record is
                       listed once even when delivered twice; broken lines are listed too. POS
                       transactions without card or name still name the person who made them,
                       although nothing in the landing data links them.
        cookies.csv    cookie_id,person_id of every browser cookie seen in landing/web.
        devices.csv    device_id,person_id of every app device seen in landing/app.
        malformed.csv  source,file,reason of every deliberately broken line. Reasons:
                       truncated_json, bad_timestamp (2024-13-45T25:61:00Z), missing_timestamp,
                       extra_column, bad_date.

        Landing data notes: CRM rows and consents from before the first day of history are an
        initial load in the first day's folder. From day %s on, orders write customer.email as
        customer.email_address and the CRM header says mobile instead of phone. About 0.5%% of
        records are delivered twice, in the same file or in the next day's file.
        """.formatted(s.seed(), s.persons(), s.days(), s.endDate(),
        new HistoryCalendar(s.endDate(), s.days()).isoDate(World.renameDay(s.days())));
  }
}
