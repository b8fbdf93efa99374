import setuptools

setuptools.setup(
    setup_requires=['setuptools-odoo'],
    # setuptools-odoo's 11.0 default also admits Python 2.7; this addon is
    # Python 3 only (3.5+, like Odoo 11 itself)
    python_requires='>=3.5',
    odoo_addon=True,
)
