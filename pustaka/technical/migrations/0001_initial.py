"""Technical services as the app ``technical``: the models of ``maintenance`` (state only) and the
rename of their tables, keeping every row."""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pustaka.core.migration_ops import hand_over_tables


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('maintenance', '0006_handed_to_technical'),
        ('catalog', '0003_record_harvest_index'),
        ('core', '0002_roles'),
        ('holdings', '0004_item_barcode_upper_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='BinderyVendor',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                    ('contact', models.TextField(blank=True, verbose_name='contact')),
                ],
                options={
                    'verbose_name': 'bindery',
                    'verbose_name_plural': 'binderies',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='BinderyShipment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('status', models.CharField(choices=[('draft', 'Being prepared'), ('sent', 'Sent'), ('partly_returned', 'Partly returned'), ('returned', 'Returned')], default='draft', max_length=16, verbose_name='status')),
                    ('sent_on', models.DateField(blank=True, null=True, verbose_name='sent')),
                    ('expected_on', models.DateField(blank=True, null=True, verbose_name='expected back')),
                    ('cost', models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name='cost')),
                    ('instructions', models.TextField(blank=True, verbose_name='general instructions')),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.branch', verbose_name='branch')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('vendor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shipments', to='technical.binderyvendor', verbose_name='bindery')),
                ],
                options={
                    'verbose_name': 'bindery shipment',
                    'verbose_name_plural': 'bindery shipments',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='ProcessingProfile',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('branch', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='processing_profile', to='core.branch', verbose_name='branch')),
                ],
                options={
                    'verbose_name': 'processing profile',
                    'verbose_name_plural': 'processing profiles',
                },
            ),
            migrations.CreateModel(
                name='ProcessingStep',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('catalogue', 'Enter into the catalogue'), ('stamp', 'Library stamp'), ('spine_label', 'Call-number spine label'), ('barcode_label', 'Barcode label'), ('cover', 'Protective cover'), ('security_strip', 'Security strip'), ('rfid_tag', 'RFID tag'), ('other', 'Other step')], max_length=20, verbose_name='step')),
                    ('name', models.CharField(blank=True, help_text='Only for your own steps.', max_length=100, verbose_name='name')),
                    ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                    ('is_enabled', models.BooleanField(default=True, verbose_name='in use')),
                    ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='technical.processingprofile', verbose_name='profile')),
                ],
                options={
                    'verbose_name': 'processing step',
                    'verbose_name_plural': 'processing steps',
                    'ordering': ['profile', 'position', 'id'],
                },
            ),
            migrations.CreateModel(
                name='ProcessingStepDone',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('done_at', models.DateTimeField(auto_now_add=True, verbose_name='done')),
                    ('done_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='done by')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='processing_done', to='holdings.item', verbose_name='item')),
                    ('step', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='technical.processingstep', verbose_name='step')),
                ],
                options={
                    'verbose_name': 'processing step done',
                    'verbose_name_plural': 'processing steps done',
                    'ordering': ['done_at', 'id'],
                },
            ),
            migrations.CreateModel(
                name='PullList',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('reason', models.CharField(choices=[('weed', 'Weeding'), ('repair', 'Repair'), ('bind', 'Binding')], max_length=10, verbose_name='reason')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10, verbose_name='status')),
                    ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                    ('note', models.TextField(blank=True, verbose_name='note')),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pull_lists', to='core.branch', verbose_name='branch')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ],
                options={
                    'verbose_name': 'pull list',
                    'verbose_name_plural': 'pull lists',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='PullListEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('state', models.CharField(choices=[('waiting', 'To pull'), ('pulled', 'Pulled'), ('not_found', 'Not found')], default='waiting', max_length=10, verbose_name='state')),
                    ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled')),
                    ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                    ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pull_entries', to='holdings.item', verbose_name='item')),
                    ('pull_list', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='technical.pulllist', verbose_name='pull list')),
                ],
                options={
                    'verbose_name': 'pull list entry',
                    'verbose_name_plural': 'pull list entries',
                },
            ),
            migrations.CreateModel(
                name='RepairTicket',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('damage_type', models.CharField(choices=[('torn_pages', 'Torn pages'), ('loose_pages', 'Loose pages'), ('broken_spine', 'Broken spine'), ('cover_damage', 'Damaged cover'), ('water', 'Water damage'), ('mould', 'Mould'), ('writing', 'Writing or highlighting'), ('label', 'Missing or worn label'), ('media', 'Damaged disc or media'), ('other', 'Other damage')], max_length=20, verbose_name='damage')),
                    ('notes', models.TextField(blank=True, verbose_name='notes')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done'), ('sent_to_bindery', 'Sent to the bindery'), ('beyond_repair', 'Beyond repair')], default='open', max_length=16, verbose_name='status')),
                    ('minutes_spent', models.PositiveIntegerField(default=0, verbose_name='minutes spent')),
                    ('materials_cost', models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name='materials cost')),
                    ('condition_after', models.CharField(blank=True, choices=[('good', 'Good'), ('fair', 'Fair'), ('worn', 'Worn'), ('damaged', 'Damaged')], max_length=10, verbose_name='condition after')),
                    ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='repairs', to='holdings.item', verbose_name='item')),
                    ('opened_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='opened by')),
                    ('repaired_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='repaired by')),
                ],
                options={
                    'verbose_name': 'repair ticket',
                    'verbose_name_plural': 'repair tickets',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='Review',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('queue', models.CharField(choices=[('cataloguing', 'Waiting for a call number'), ('processing', 'Processing'), ('shelving', 'Shelving'), ('pulling', 'Pulling'), ('repair', 'Repair'), ('bindery', 'Bindery'), ('withdrawal', 'Withdrawal'), ('sale', 'Sale')], max_length=16, verbose_name='queue')),
                    ('outcome', models.CharField(choices=[('approved', 'Approved'), ('sent_back', 'Sent back')], max_length=16, verbose_name='outcome')),
                    ('note', models.TextField(blank=True, verbose_name='note')),
                    ('reviewed_at', models.DateTimeField(auto_now_add=True, verbose_name='reviewed')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='holdings.item', verbose_name='item')),
                    ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
                ],
                options={
                    'verbose_name': 'review',
                    'verbose_name_plural': 'reviews',
                    'ordering': ['-reviewed_at'],
                },
            ),
            migrations.CreateModel(
                name='SaleEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('held_on', models.DateField(blank=True, null=True, verbose_name='date')),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.branch', verbose_name='branch')),
                ],
                options={
                    'verbose_name': 'sale event',
                    'verbose_name_plural': 'sale events',
                    'ordering': ['-held_on', '-id'],
                },
            ),
            migrations.CreateModel(
                name='Sale',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('price', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='price')),
                    ('payment_method', models.CharField(choices=[('cash', 'Cash'), ('transfer', 'Bank transfer'), ('qris', 'QRIS'), ('card', 'Card'), ('other', 'Other')], max_length=10, verbose_name='payment method')),
                    ('sold_at', models.DateTimeField(auto_now_add=True, verbose_name='sold')),
                    ('receipt', models.CharField(blank=True, db_index=True, max_length=40, verbose_name='receipt')),
                    ('item', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='sale', to='holdings.item', verbose_name='item')),
                    ('sold_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sold by')),
                    ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sales', to='technical.saleevent', verbose_name='sale event')),
                ],
                options={
                    'verbose_name': 'sale',
                    'verbose_name_plural': 'sales',
                    'ordering': ['-sold_at'],
                },
            ),
            migrations.CreateModel(
                name='SaleOffer',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('price', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='price')),
                    ('offered_at', models.DateTimeField(auto_now_add=True, verbose_name='offered')),
                    ('item', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='sale_offer', to='holdings.item', verbose_name='item')),
                    ('offered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'sale offer',
                    'verbose_name_plural': 'sale offers',
                },
            ),
            migrations.CreateModel(
                name='Stocktake',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('call_number_from', models.CharField(blank=True, max_length=100, verbose_name='call number from')),
                    ('call_number_to', models.CharField(blank=True, max_length=100, verbose_name='call number to')),
                    ('status', models.CharField(choices=[('open', 'Scanning'), ('review', 'Waiting for confirmation'), ('confirmed', 'Confirmed'), ('cancelled', 'Cancelled')], default='open', max_length=10, verbose_name='status')),
                    ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed')),
                    ('expected_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='copies expected on the shelf')),
                    ('seen_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='expected copies seen')),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.branch', verbose_name='branch')),
                    ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
                    ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.location', verbose_name='location')),
                    ('started_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='started by')),
                ],
                options={
                    'verbose_name': 'stocktake',
                    'verbose_name_plural': 'stocktakes',
                    'ordering': ['-created_at'],
                    'permissions': [('confirm_stocktake', 'Can confirm a stocktake and mark items missing')],
                },
            ),
            migrations.CreateModel(
                name='StocktakeEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('location_id_then', models.BigIntegerField(blank=True, null=True, verbose_name='location then')),
                    ('shelf_key_then', models.CharField(blank=True, max_length=255, verbose_name='shelf key then')),
                    ('outcome', models.CharField(choices=[('expected', 'Expected'), ('seen', 'Seen'), ('missing', 'Marked missing'), ('gone', 'Left the shelf during the stocktake')], default='expected', max_length=10, verbose_name='outcome')),
                    ('position', models.PositiveIntegerField(blank=True, null=True, verbose_name='position')),
                    ('barcode', models.CharField(blank=True, max_length=32, verbose_name='barcode')),
                    ('call_number', models.CharField(blank=True, max_length=200, verbose_name='call number')),
                    ('title', models.CharField(blank=True, max_length=500, verbose_name='title')),
                    ('location_code', models.CharField(blank=True, max_length=32, verbose_name='location code')),
                    ('location_name', models.CharField(blank=True, max_length=200, verbose_name='location')),
                    ('last_seen_at', models.DateTimeField(blank=True, null=True, verbose_name='last seen')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='holdings.item', verbose_name='item')),
                    ('stocktake', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='technical.stocktake', verbose_name='stocktake')),
                ],
                options={
                    'verbose_name': 'stocktake entry',
                    'verbose_name_plural': 'stocktake entries',
                    'ordering': ['stocktake', 'position', 'id'],
                },
            ),
            migrations.CreateModel(
                name='StocktakeScan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('position', models.PositiveIntegerField(verbose_name='position')),
                    ('barcode', models.CharField(max_length=32, verbose_name='barcode')),
                    ('result', models.CharField(choices=[('ok', 'In place'), ('out_of_order', 'Out of order'), ('wrong_shelf', 'On the wrong shelf'), ('should_not_be_here', 'Should not be on the shelf'), ('outside_range', 'Outside the stocktake range'), ('unknown', 'Unknown barcode'), ('duplicate', 'Scanned twice'), ('found', 'Found (was missing)')], max_length=20, verbose_name='result')),
                    ('item_status', models.CharField(blank=True, max_length=20, verbose_name='item status then')),
                    ('scanned_at', models.DateTimeField(auto_now_add=True, verbose_name='scanned')),
                    ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='holdings.item')),
                    ('stocktake', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scans', to='technical.stocktake', verbose_name='stocktake')),
                ],
                options={
                    'verbose_name': 'stocktake scan',
                    'verbose_name_plural': 'stocktake scans',
                    'ordering': ['stocktake', 'position'],
                },
            ),
            migrations.CreateModel(
                name='Subscription',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('frequency', models.CharField(choices=[('daily', 'Daily'), ('weekly', 'Weekly'), ('fortnightly', 'Every two weeks'), ('monthly', 'Monthly'), ('bimonthly', 'Every two months'), ('quarterly', 'Quarterly'), ('semiannual', 'Twice a year'), ('annual', 'Yearly')], max_length=12, verbose_name='frequency')),
                    ('starts_on', models.DateField(verbose_name='first issue expected')),
                    ('ends_on', models.DateField(blank=True, null=True, verbose_name='subscription ends')),
                    ('grace_days', models.PositiveSmallIntegerField(default=7, verbose_name='days of grace before an issue is late')),
                    ('vendor', models.CharField(blank=True, max_length=200, verbose_name='supplier')),
                    ('numbering', models.CharField(default='No. {n}', help_text='How issues are labelled; {n} is the issue number, {year} the year.', max_length=100, verbose_name='numbering')),
                    ('first_number', models.PositiveIntegerField(default=1, verbose_name='number of the first issue')),
                    ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.branch', verbose_name='branch')),
                    ('item_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='holdings.itemtype', verbose_name='item type')),
                    ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.location', verbose_name='location')),
                    ('record', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='subscriptions', to='catalog.record', verbose_name='title')),
                ],
                options={
                    'verbose_name': 'subscription',
                    'verbose_name_plural': 'subscriptions',
                    'ordering': ['record__title'],
                },
            ),
            migrations.CreateModel(
                name='SerialIssue',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveIntegerField(verbose_name='number')),
                    ('label', models.CharField(max_length=100, verbose_name='issue')),
                    ('expected_on', models.DateField(verbose_name='expected')),
                    ('status', models.CharField(choices=[('expected', 'Expected'), ('received', 'Received'), ('late', 'Late'), ('claimed', 'Claimed'), ('missing', 'Never arrived')], default='expected', max_length=10, verbose_name='status')),
                    ('received_on', models.DateField(blank=True, null=True, verbose_name='received')),
                    ('claimed_on', models.DateField(blank=True, null=True, verbose_name='last claimed')),
                    ('claim_count', models.PositiveSmallIntegerField(default=0, verbose_name='claims')),
                    ('item', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='serial_issue', to='holdings.item')),
                    ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='issues', to='technical.subscription')),
                ],
                options={
                    'verbose_name': 'serial issue',
                    'verbose_name_plural': 'serial issues',
                    'ordering': ['subscription', 'expected_on', 'number'],
                    'permissions': [('check_in_issue', 'Can check in serial issues'), ('claim_issue', 'Can claim late serial issues')],
                },
            ),
            migrations.CreateModel(
                name='WeedingCriteria',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('class_from', models.CharField(blank=True, max_length=50, verbose_name='class number from')),
                    ('class_to', models.CharField(blank=True, max_length=50, verbose_name='class number to')),
                    ('material_type', models.CharField(blank=True, max_length=16, verbose_name='material type')),
                    ('min_years_since_publication', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='published at least N years ago')),
                    ('min_years_since_last_loan', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='not lent for at least N years')),
                    ('max_loan_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='lent at most N times')),
                    ('conditions', models.JSONField(blank=True, default=list, help_text='Leave empty for any condition.', verbose_name='in condition')),
                    ('min_copies_held', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='only when at least N copies are held')),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.branch', verbose_name='branch')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.location', verbose_name='location')),
                ],
                options={
                    'verbose_name': 'weeding criteria',
                    'verbose_name_plural': 'weeding criteria',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='WeedingCandidate',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reasons', models.JSONField(default=list, verbose_name='reasons')),
                    ('decision', models.CharField(choices=[('proposed', 'Proposed'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='proposed', max_length=10, verbose_name='decision')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                    ('proposed_at', models.DateTimeField(auto_now_add=True, verbose_name='proposed')),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='weeding_candidacies', to='holdings.item', verbose_name='item')),
                    ('pull_list', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='technical.pulllist')),
                    ('criteria', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='candidates', to='technical.weedingcriteria')),
                ],
                options={
                    'verbose_name': 'weeding candidate',
                    'verbose_name_plural': 'weeding candidates',
                    'permissions': [('decide_weeding', 'Can approve or reject weeding candidates')],
                },
            ),
            migrations.CreateModel(
                name='Assignment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('queue', models.CharField(choices=[('cataloguing', 'Waiting for a call number'), ('processing', 'Processing'), ('shelving', 'Shelving'), ('pulling', 'Pulling'), ('repair', 'Repair'), ('bindery', 'Bindery'), ('withdrawal', 'Withdrawal'), ('sale', 'Sale')], max_length=16, verbose_name='queue')),
                    ('assigned_at', models.DateTimeField(auto_now_add=True, verbose_name='assigned')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                    ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned by')),
                    ('assigned_to', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='holdings.item', verbose_name='item')),
                ],
                options={
                    'verbose_name': 'assignment',
                    'verbose_name_plural': 'assignments',
                    'ordering': ['-assigned_at'],
                    'permissions': [('assign_work', 'Can assign work to technicians'), ('review_work', "Can review technicians' work and send it back")],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('finished_at__isnull', True)), fields=('item', 'queue'), name='one_open_assignment_per_queue')],
                },
            ),
            migrations.CreateModel(
                name='BinderyShipmentItem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('instructions', models.CharField(blank=True, max_length=500, verbose_name='instructions')),
                    ('returned_on', models.DateField(blank=True, null=True, verbose_name='returned')),
                    ('binding_note', models.CharField(blank=True, max_length=300, verbose_name='new binding')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bindery_lines', to='holdings.item', verbose_name='item')),
                    ('shipment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='technical.binderyshipment', verbose_name='shipment')),
                ],
                options={
                    'verbose_name': 'shipment item',
                    'verbose_name_plural': 'shipment items',
                    'constraints': [models.UniqueConstraint(fields=('shipment', 'item'), name='item_once_per_shipment')],
                },
            ),
            migrations.AddConstraint(
                model_name='binderyshipment',
                constraint=models.CheckConstraint(condition=models.Q(('cost__gte', 0)), name='bindery_cost_not_negative'),
            ),
            migrations.AddConstraint(
                model_name='processingprofile',
                constraint=models.UniqueConstraint(condition=models.Q(('branch__isnull', True)), fields=('branch',), name='one_library_profile'),
            ),
            migrations.AddConstraint(
                model_name='processingstepdone',
                constraint=models.UniqueConstraint(fields=('item', 'step'), name='processing_step_once'),
            ),
            migrations.AddConstraint(
                model_name='pulllistentry',
                constraint=models.UniqueConstraint(fields=('pull_list', 'item'), name='item_once_per_pull_list'),
            ),
            migrations.AddConstraint(
                model_name='repairticket',
                constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('item',), name='one_open_repair_per_item'),
            ),
            migrations.AddConstraint(
                model_name='repairticket',
                constraint=models.CheckConstraint(condition=models.Q(('materials_cost__gte', 0)), name='repair_cost_not_negative'),
            ),
            migrations.AddConstraint(
                model_name='sale',
                constraint=models.CheckConstraint(condition=models.Q(('price__gte', 0)), name='sold_price_not_negative'),
            ),
            migrations.AddConstraint(
                model_name='saleoffer',
                constraint=models.CheckConstraint(condition=models.Q(('price__gte', 0)), name='sale_price_not_negative'),
            ),
            migrations.AddIndex(
                model_name='stocktakeentry',
                index=models.Index(fields=['stocktake', 'outcome'], name='stocktake_entry_outcome_idx'),
            ),
            migrations.AddConstraint(
                model_name='stocktakeentry',
                constraint=models.UniqueConstraint(fields=('stocktake', 'item'), name='stocktake_entry_once'),
            ),
            migrations.AddConstraint(
                model_name='stocktakescan',
                constraint=models.UniqueConstraint(fields=('stocktake', 'position'), name='scan_position_unique'),
            ),
            migrations.AddConstraint(
                model_name='serialissue',
                constraint=models.UniqueConstraint(fields=('subscription', 'number'), name='issue_number_unique'),
            ),
            migrations.AddConstraint(
                model_name='weedingcandidate',
                constraint=models.UniqueConstraint(fields=('criteria', 'item'), name='candidate_once_per_criteria'),
            ),
    
            ],
            database_operations=[],
        ),
        # Rename each maintenance_* table to technical_* and move the content types, so rows, permissions
        # (and the roles holding them) and audit events about these objects all carry over.
        hand_over_tables("maintenance", "technical"),
    ]
