package org.lakecdp.core.segment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.Suggest;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The segment condition language: a restricted Spark SQL boolean expression, parsed with
 * Spark's own expression parser (no SparkSession needed) and checked node by node against an
 * allow-list, so a condition can only read the columns it is given and compute with
 * deterministic functions. Allowed: column names (with {@code map['key']},
 * {@code array[i]} and {@code struct.field} access), literals (numbers, strings, booleans,
 * {@code DATE '2024-01-31'}, {@code INTERVAL 30 DAYS}), {@code AND OR NOT}, comparisons,
 * {@code BETWEEN}, {@code IN (...)} lists, {@code LIKE}, {@code IS [NOT] NULL},
 * arithmetic, {@code CASE WHEN}, {@code CAST} and the functions of {@link #FUNCTIONS};
 * {@code segments.<name>} is true for members of another segment. Everything else
 * (subqueries, {@code *}, lambdas, non-deterministic or unlisted functions) is refused with a
 * one-line message naming the segment and the term.
 */
public final class SegmentExpression {
  /** Functions a condition may call (lower case). */
  public static final Set<String> FUNCTIONS = Set.copyOf(new TreeSet<>(List.of(
      "abs", "add_months", "array_contains", "array_size", "arrays_overlap", "between",
      "cardinality", "ceil", "coalesce", "contains", "date_add", "date_sub", "datediff",
      "day", "dayofmonth", "dayofweek", "element_at", "endswith", "floor", "greatest",
      "hour", "if", "ifnull", "isnotnull", "isnull", "least", "length", "lower",
      "map_contains_key", "month", "months_between", "nullif", "nvl", "round", "size",
      "startswith", "substr", "substring", "to_date", "trim", "upper", "year")));

  /** Name of the struct of other segments' membership: {@code segments.<name>}. */
  public static final String SEGMENTS = "segments";

  private static final Set<String> NODES = Set.of("And", "Or", "Not", "EqualTo",
      "EqualNullSafe", "LessThan", "LessThanOrEqual", "GreaterThan", "GreaterThanOrEqual", "In",
      "Between", "IsNull", "IsNotNull", "Like", "ILike", "Literal", "UnresolvedAttribute",
      "UnresolvedExtractValue", "UnresolvedFunction", "Add", "Subtract", "Multiply", "Divide",
      "Remainder", "UnaryMinus", "UnaryPositive", "Cast", "CaseWhen", "If", "Coalesce");

  private SegmentExpression() {}

  /**
   * The columns and segments a condition reads.
   *
   * @param columns top-level columns referenced (lower case), {@code segments} excluded
   * @param segments other segments referenced through {@code segments.<name>}
   */
  public record References(Set<String> columns, Set<String> segments) {}

  /**
   * Parses and checks {@code condition} of segment {@code segment}.
   *
   * @param columns the columns a condition may read (lower case)
   * @param segmentNames the segments it may refer to
   * @throws CdpException naming the segment and the offending term
   */
  public static References validate(String segment, String condition,
      Collection<String> columns, Collection<String> segmentNames) {
    Expression parsed;
    try {
      parsed = CatalystSqlParser$.MODULE$.parseExpression(condition);
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new CdpException("segment '" + segment + "': cannot parse where '" + condition
          + "': " + message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
              .orElse(""));
    }
    Set<String> usedColumns = new LinkedHashSet<>();
    Set<String> usedSegments = new LinkedHashSet<>();
    check(segment, parsed, columns, segmentNames, usedColumns, usedSegments);
    return new References(Set.copyOf(usedColumns), Set.copyOf(usedSegments));
  }

  private static void check(String segment, Expression e, Collection<String> columns,
      Collection<String> segmentNames, Set<String> usedColumns, Set<String> usedSegments) {
    String node = e.getClass().getSimpleName();
    if (node.contains("Subquery") || node.equals("Exists") || node.equals("ListQuery")) {
      throw new CdpException("segment '" + segment + "': subqueries are not allowed: '"
          + e.sql() + "'");
    }
    if (!NODES.contains(node)) {
      throw new CdpException("segment '" + segment + "': '" + safeSql(e) + "' is not allowed"
          + " in a segment condition (" + node + "); use columns, literals, AND/OR/NOT,"
          + " comparisons, BETWEEN, IN, LIKE, IS NULL, arithmetic and functions "
          + new TreeSet<>(FUNCTIONS));
    }
    if (e instanceof UnresolvedAttribute a) {
      List<String> parts = CollectionConverters.asJava(a.nameParts());
      String first = parts.get(0).toLowerCase(Locale.ROOT);
      if (first.equals(SEGMENTS)) {
        if (parts.size() != 2) {
          throw new CdpException("segment '" + segment + "': write segments.<name> to test"
              + " membership of another segment: '" + a.sql() + "'");
        }
        String other = parts.get(1).toLowerCase(Locale.ROOT);
        if (!segmentNames.contains(other)) {
          throw new CdpException("segment '" + segment + "': unknown segment '" + other + "'"
              + hint(other, segmentNames) + "; segments are " + new TreeSet<>(segmentNames));
        }
        usedSegments.add(other);
      } else if (!columns.contains(first)) {
        throw new CdpException("segment '" + segment + "': unknown column '" + first + "'"
            + hint(first, columns) + "; known columns are " + new TreeSet<>(columns));
      } else {
        usedColumns.add(first);
      }
      return;
    }
    if (e instanceof UnresolvedFunction f) {
      List<String> parts = CollectionConverters.asJava(f.nameParts());
      String name = String.join(".", parts).toLowerCase(Locale.ROOT);
      if (!FUNCTIONS.contains(name)) {
        throw new CdpException("segment '" + segment + "': function '" + name + "' is not"
            + " allowed" + hint(name, FUNCTIONS) + "; allowed functions are "
            + new TreeSet<>(FUNCTIONS));
      }
      if (f.isDistinct() || f.filter().isDefined()) {
        throw new CdpException("segment '" + segment + "': aggregates are not allowed: '"
            + safeSql(e) + "'");
      }
    }
    for (Expression child : CollectionConverters.asJava(e.children())) {
      check(segment, child, columns, segmentNames, usedColumns, usedSegments);
    }
  }

  private static String hint(String name, Collection<String> candidates) {
    String closest = Suggest.closest(name, candidates);
    return closest == null ? "" : " (did you mean '" + closest + "'?)";
  }

  private static String safeSql(Expression e) {
    try {
      return e.sql();
    } catch (Exception ex) {
      return e.toString();
    }
  }

  /** Lower-case names, sorted, for messages and lookups. */
  static List<String> lower(Collection<String> names) {
    List<String> out = new ArrayList<>();
    names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    return out;
  }
}
