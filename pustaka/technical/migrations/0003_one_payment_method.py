"""A sale's payment method is core's one PaymentMethod (for_sales): "card" now reads "Debit or credit card"
as it does at the desk. Only the choices' label changes; no column changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("technical", "0002_roles")]

    operations = [
        migrations.AlterField(
            model_name="sale",
            name="payment_method",
            field=models.CharField(
                choices=[
                    ("cash", "Cash"),
                    ("transfer", "Bank transfer"),
                    ("qris", "QRIS"),
                    ("card", "Debit or credit card"),
                    ("other", "Other"),
                ],
                max_length=10,
                verbose_name="payment method",
            ),
        ),
    ]
