"""``AnyOf``: a column's value is one of many given, for reading rows in batches of a
thousand keys.

Django's ``__in`` writes a placeholder per value; on PostgreSQL, whose driver here binds
the values into the SQL text in Python, parsing a thousand placeholders cost more than
the query. There the values go as one array (``= ANY(%s)``); elsewhere as ``IN``.

    Tracker.objects.filter(AnyOf(F("participant_id"), pks))
"""

from django.db.models import Lookup


class AnyOf(Lookup):
    prepare_rhs = False

    def get_db_prep_lookup(self, values, connection):
        field = self.lhs.output_field
        return "%s", [[field.get_db_prep_value(value, connection) for value in values]]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _, (values,) = self.process_rhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
