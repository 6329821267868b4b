package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.config.IdentitySettings;
import org.lakecdp.core.lake.IdentityColumns;

/** How a configured field name reads from an identity record or node: one place. */
final class IdentityFields {
  private IdentityFields() {}

  /** The field as a string column: a standard column, or {@code extra[x_...]}. */
  static Column value(String field) {
    if (IdentitySettings.isCustom(field)) {
      return element_at(col(IdentityColumns.EXTRA), lit(field));
    }
    Column c = col(field);
    return field.equals(IdentityColumns.DATE_OF_BIRTH) ? c.cast(DataTypes.StringType) : c;
  }

  /** The field of side {@code a} or {@code b} of a pair, as selected by the matcher. */
  static String side(String side, String field) {
    return side + "_" + field;
  }
}
