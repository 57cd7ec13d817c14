from django.contrib import admin

from ayni.payroll.models import ContributionRate


@admin.register(ContributionRate)
class ContributionRateAdmin(admin.ModelAdmin):
    list_display = ("concept", "rate", "valid_from")
